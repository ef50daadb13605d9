"""Applying fixes safely: unified diff first, timestamped backup, atomic write, undo.

Every file a fix touches is first copied beside itself as
``<name>.antseed-doctor-<stamp>.bak``; the new content is written to a
temporary file in the same directory and renamed over the original, so a
crash never leaves half a file. A journal of the last fix run lets
``--undo`` put everything back, including deleting files a fix created.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Dict, List, Mapping, Optional

from .plugin import FileChange

BACKUP_MARK = ".antseed-doctor-"


def journal_path(env: Mapping[str, str], home: Path) -> Path:
    state = env.get("XDG_STATE_HOME") or str(home / ".local" / "state")
    return Path(state) / "antseed-doctor" / "last-fix.json"


def stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def unified_diff(change: FileChange, shown: str) -> str:
    before = (change.before or "").splitlines(keepends=True)
    after = change.after.splitlines(keepends=True)
    lines = difflib.unified_diff(before, after,
                                 fromfile="/dev/null" if change.before is None else shown,
                                 tofile=shown)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def atomic_write(path: Path, text: str, mode: Optional[int] = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def apply(changes: List[FileChange], run_stamp: str) -> List[Dict[str, Optional[str]]]:
    """Write the changes; return journal entries (path, backup or None if created).

    A file changed twice in one run is backed up once, before the first change,
    so the backup always holds what the user had.
    """
    entries: List[Dict[str, Optional[str]]] = []
    for change in changes:
        path = Path(change.path)
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != change.before:
            raise RuntimeError(f"{path} changed since the diff was shown; nothing written")
        backup: Optional[Path] = None
        mode = None
        if current is not None:
            backup = path.with_name(f"{path.name}{BACKUP_MARK}{run_stamp}.bak")
            if not backup.exists():
                shutil.copy2(path, backup)
            mode = path.stat().st_mode & 0o7777
        atomic_write(path, change.after, mode)
        entries.append({"path": str(path), "backup": str(backup) if backup else None,
                        "written": change.after})
    return entries


def save_journal(path: Path, run_stamp: str, entries: List[Dict[str, Optional[str]]]) -> None:
    previous = load_journal(path)
    if previous and previous.get("stamp") == run_stamp:
        entries = [*previous.get("files", []), *entries]
    atomic_write(path, json.dumps({"stamp": run_stamp, "files": entries}, indent=2))


def load_journal(path: Path) -> Optional[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def undo(journal: Path) -> List[str]:
    """Restore the last fix run's backups; delete files it created. Returns what was done."""
    data = load_journal(journal)
    if not data or not data.get("files"):
        return []
    done: List[str] = []
    undo_stamp = stamp()
    restored = set()
    for entry in reversed(data["files"]):
        path = Path(entry["path"])
        backup = entry.get("backup")
        if backup and str(path) in restored:
            continue
        if backup:
            restored.add(str(path))
            atomic_write(path, Path(backup).read_text(encoding="utf-8"),
                         Path(backup).stat().st_mode & 0o7777)
            done.append(f"restored {path} from {backup}")
        elif path.exists():
            if path.read_text(encoding="utf-8") != entry.get("written"):
                keep = path.with_name(f"{path.name}{BACKUP_MARK}undo-{undo_stamp}.bak")
                shutil.copy2(path, keep)  # edited since the fix: nothing is lost
                done.append(f"kept your edits of {path} in {keep}")
            path.unlink()
            done.append(f"removed {path} (created by the fix)")
    journal.unlink()
    return done
