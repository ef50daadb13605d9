"""Reads one TOML file and says exactly what is wrong with it, never raising.

Codex fails to start on a broken config file, so each way a file can be
broken (missing, a directory, unreadable, binary, not UTF-8, invalid TOML,
absurdly large) is a distinct, reportable state with a line and column.
"""

from __future__ import annotations

import enum
import re
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MAX_BYTES = 1024 * 1024


class FileState(str, enum.Enum):
    OK = "ok"
    MISSING = "missing"
    NOT_A_FILE = "not a file"
    UNREADABLE = "unreadable"
    TOO_LARGE = "too large"
    BINARY = "binary"
    NOT_UTF8 = "not UTF-8"
    INVALID_TOML = "invalid TOML"


@dataclass(frozen=True)
class TomlFile:
    path: Path
    state: FileState
    data: Dict[str, Any] = field(default_factory=dict)
    text: str = ""
    problem: str = ""
    line: Optional[int] = None
    column: Optional[int] = None
    size: int = 0

    @property
    def ok(self) -> bool:
        return self.state is FileState.OK

    @property
    def exists(self) -> bool:
        return self.state is not FileState.MISSING

    def where(self) -> str:
        if self.line is None:
            return str(self.path)
        return f"{self.path}:{self.line}:{self.column or 1}"


_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


def read_toml(path: Path) -> TomlFile:
    try:
        st = path.stat()
    except FileNotFoundError:
        return TomlFile(path, FileState.MISSING)
    except OSError as exc:
        return TomlFile(path, FileState.UNREADABLE, problem=exc.strerror or str(exc))
    if not stat.S_ISREG(st.st_mode):
        kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file"
        return TomlFile(path, FileState.NOT_A_FILE, problem=kind)
    if st.st_size > MAX_BYTES:
        return TomlFile(path, FileState.TOO_LARGE, size=st.st_size,
                        problem=f"{st.st_size} bytes (the doctor reads at most {MAX_BYTES})")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return TomlFile(path, FileState.UNREADABLE, problem=exc.strerror or str(exc))
    return parse_bytes(path, raw)


def parse_bytes(path: Path, raw: bytes) -> TomlFile:
    nul = raw.find(b"\x00")
    if nul >= 0:
        return TomlFile(path, FileState.BINARY, size=len(raw),
                        problem=f"contains a NUL byte at offset {nul}: this is not a text file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return TomlFile(path, FileState.NOT_UTF8, size=len(raw), line=line,
                        column=exc.start - raw.rfind(b"\n", 0, exc.start),
                        problem=f"byte 0x{raw[exc.start]:02x} at offset {exc.start} is not UTF-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, col = _position(exc)
        message = _AT.sub("", str(exc)).strip()
        return TomlFile(path, FileState.INVALID_TOML, text=text, size=len(raw),
                        problem=message, line=line, column=col)
    except RecursionError:
        return TomlFile(path, FileState.INVALID_TOML, text=text, size=len(raw),
                        problem="nested too deeply to parse")
    return TomlFile(path, FileState.OK, data=data, text=text, size=len(raw))


def _position(exc: Exception) -> Tuple[Optional[int], Optional[int]]:
    line = getattr(exc, "lineno", None)
    col = getattr(exc, "colno", None)
    if line is None:
        match = _AT.search(str(exc))
        if match:
            line, col = int(match.group(1)), int(match.group(2))
    return line, col


def table_lines(text: str, dotted: str) -> List[str]:
    """The source lines of ``[dotted]`` (header included) up to the next table.

    Used to tell users exactly which block to move. Returns [] when the table
    is only written inline or with dotted keys.
    """
    wanted = _norm_header(dotted)
    out: List[str] = []
    inside = False
    for line in text.splitlines():
        header = header_of(line)
        if header is not None:
            inside = header == wanted or header.startswith(wanted + ".")
        if inside:
            out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return out


def key_line(text: str, dotted_table: str, key: str) -> Optional[int]:
    """1-based line of ``key = …`` inside ``[dotted_table]`` ("" = top level)."""
    wanted = _norm_header(dotted_table) if dotted_table else ""
    current = ""
    pattern = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
    quoted = re.compile(r'^\s*"' + re.escape(key) + r'"\s*=')
    for number, line in enumerate(text.splitlines(), start=1):
        header = header_of(line)
        if header is not None:
            current = header
            continue
        if current == wanted and (pattern.match(line) or quoted.match(line)):
            return number
    return None


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def header_of(line: str) -> Optional[str]:
    match = _HEADER.match(line)
    return _norm_header(match.group(1)) if match else None


def _norm_header(text: str) -> str:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([^.\s"\']+)', text)
    return ".".join(a or b or c for a, b, c in parts)


def is_private_file(path: Path) -> bool:
    try:
        return not (path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))
    except OSError:
        return False




def cut_table(text: str, dotted: str) -> tuple:
    """Remove ``[dotted]`` (and its sub-tables) with the comment lines right above it.

    Returns ``(remaining text, removed lines)``; the removed lines keep their
    comments, so they can be written elsewhere and nothing is lost.
    """
    lines = text.splitlines()
    wanted = _norm_header(dotted)
    keep: List[str] = []
    removed: List[str] = []
    inside = False
    for line in lines:
        header = header_of(line)
        if header is not None:
            inside = header == wanted or header.startswith(wanted + ".")
            if inside:
                lead: List[str] = []
                while keep and keep[-1].lstrip().startswith("#"):
                    lead.insert(0, keep.pop())
                removed.extend(lead)
        (removed if inside else keep).append(line)
    while removed and not removed[-1].strip():
        keep.append(removed.pop())  # blank separator lines stay where they were
    result = "\n".join(keep)
    while "\n\n\n" in result:
        result = result.replace("\n\n\n", "\n\n")
    return result.rstrip("\n") + "\n" if result.strip() else "", removed
