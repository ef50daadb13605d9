"""Safe, format-preserving repairs of Codex config files (used by ``--fix``).

Each fixer reads the files afresh, edits them with tomlkit (comments,
spacing and order survive) and returns the new text; it returns nothing when
the problem is already gone, so a second ``--fix`` changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, List, Optional, Tuple

from doctor.context import Context
from doctor.plugin import FileChange, Fixer

from . import layout, recommend
from .install import codex_version
from .tomlfile import cut_table, header_of, table_lines
from .versions import PROFILES_V2

RERUN = ("codex.install", "codex.home", "codex.profile", "codex.provider",
         "codex.project-config")


def _read(path: Path) -> Optional[str]:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):  # missing or unusable: the checks report why
        return None


def _parse(text: Optional[str]) -> Optional[Any]:
    import tomlkit  # only --fix needs it
    from tomlkit.exceptions import TOMLKitError

    try:
        return tomlkit.parse(text or "")
    except (TOMLKitError, ValueError, RecursionError):
        return None  # a broken file is reported by the checks, never rewritten


def _dumps(doc: Any) -> str:
    import tomlkit

    return tomlkit.dumps(doc)


def _user(ctx: Context) -> Path:
    return layout.codex_home(ctx).path / "config.toml"


def _change(path: Path, before: Optional[str], after: str) -> List[FileChange]:
    return [] if before == after else [FileChange(path, before, after)]


def _append_block(text: Optional[str], lines: List[str]) -> str:
    base = (text or "").rstrip("\n")
    return (base + "\n\n" if base else "") + "\n".join(lines) + "\n"


# -- wire_api = "chat" -> "responses" ----------------------------------------------------

def _set_keeping_comment(table: Any, key: str, value: str) -> None:
    import tomlkit

    old = table[key]
    new = tomlkit.string(value)
    trivia = getattr(old, "trivia", None)
    if trivia is not None:
        new.trivia.comment_ws = trivia.comment_ws
        new.trivia.comment = trivia.comment
    table[key] = new


def fix_wire_api(ctx: Context) -> List[FileChange]:
    changes: List[FileChange] = []
    paths = [_user(ctx)]
    name = layout.profile_name(ctx)
    if name:
        paths.append(layout.profile_path(ctx, name))
    for path in paths:
        before = _read(path)
        doc = _parse(before)
        providers = doc.get("model_providers") if doc is not None else None
        if not isinstance(providers, dict):
            continue
        for table in providers.values():
            if isinstance(table, dict) and table.get("wire_api") == "chat":
                _set_keeping_comment(table, "wire_api", "responses")
        changes += _change(path, before, _dumps(doc))
    return changes


# -- add a missing [model_providers.antseed] ---------------------------------------------

def fix_add_provider(ctx: Context) -> List[FileChange]:
    path = _user(ctx)
    before = _read(path)
    if before is None and path.exists():
        return []
    doc = _parse(before)
    if doc is None:
        return []
    from .effective import effective
    from .provider import target_provider

    pid = target_provider(ctx.memo(effective))
    providers = doc.get("model_providers")
    if isinstance(providers, dict) and pid in providers:
        return []
    return [FileChange(path, before, _append_block(before, recommend.provider_lines(ctx, pid)))]


# -- legacy [profiles.NAME] -> NAME.config.toml (Codex >= 0.134) ---------------------------

def _legacy_name(ctx: Context, doc: Any) -> Optional[str]:
    name = layout.profile_name(ctx)
    profiles = doc.get("profiles")
    if name and ((isinstance(profiles, dict) and name in profiles) or doc.get("profile") == name):
        return name
    top = doc.get("profile")
    return str(top) if name is None and isinstance(top, str) and top else None


def fix_legacy_profile(ctx: Context) -> List[FileChange]:
    if ctx.memo(codex_version).version < PROFILES_V2:
        return []
    user = _user(ctx)
    before = _read(user)
    doc = _parse(before)
    if doc is None:
        return []
    name = _legacy_name(ctx, doc)
    if not name:
        return []
    remaining, cut = cut_table(before or "", f"profiles.{name}")
    body = [line for line in cut if header_of(line) != f"profiles.{name}"]
    doc = _parse(remaining)
    if doc is None:
        return []
    profiles = doc.get("profiles")
    if isinstance(profiles, dict) and not profiles:
        del doc["profiles"]
    if doc.get("profile") == name:
        del doc["profile"]
    changes = _change(user, before, _dumps(doc))
    target = layout.profile_path(ctx, name)
    existing = _read(target)
    pdoc = _parse(existing)
    if pdoc is None:
        return []
    missing = [line for line in body if line.strip() and not line.lstrip().startswith("#")
               and line.split("=", 1)[0].strip() not in pdoc]
    if existing is None:
        text = "\n".join(line for line in body).strip("\n") + "\n" if body else ""
        if text.strip():
            changes.append(FileChange(target, None, text))
    elif missing:
        changes.append(FileChange(target, existing,
                                  existing.rstrip("\n") + "\n" + "\n".join(missing) + "\n"))
    return changes


# -- provider keys in a project .codex/config.toml -> user level ---------------------------

def _selection_target(ctx: Context) -> Tuple[Path, Optional[str]]:
    """(file, table) where ``model_provider`` belongs for the diagnosed launch."""
    name = layout.profile_name(ctx)
    if name is None:
        return _user(ctx), None
    if ctx.memo(codex_version).version >= PROFILES_V2:
        return layout.profile_path(ctx, name), None
    return _user(ctx), f"profiles.{name}"


def fix_project_providers(ctx: Context) -> List[FileChange]:
    user = _user(ctx)
    texts = {user: _read(user)}
    docs = {user: _parse(texts[user])}
    if docs[user] is None:
        return []
    changes: List[FileChange] = []
    for file in layout.project_files(ctx):
        before = _read(file.path)
        pdoc = _parse(before)
        if pdoc is None or not any(k in pdoc for k in ("model_providers", "model_provider")):
            continue
        providers = pdoc.get("model_providers")
        if isinstance(providers, dict):
            user_providers = docs[user].get("model_providers")
            for pid in list(providers):
                if isinstance(user_providers, dict) and pid in user_providers:
                    continue  # the user-level table wins; keep it
                block = table_lines(before or "", f"model_providers.{pid}")
                texts[user] = _append_block(texts[user], block)
                docs[user] = _parse(texts[user])
            del pdoc["model_providers"]
        selected = pdoc.get("model_provider")
        if selected is not None:
            target, table = _selection_target(ctx)
            if target not in texts:
                texts[target] = _read(target)
                docs[target] = _parse(texts[target])
            tdoc = docs[target]
            if tdoc is not None:
                import tomlkit

                holder = tdoc
                if table:
                    holder = tdoc.setdefault("profiles", tomlkit.table(is_super_table=True))
                    holder = holder.setdefault(table.split(".", 1)[1], tomlkit.table())
                if "model_provider" not in holder:
                    holder["model_provider"] = str(selected)
                    texts[target] = _dumps(tdoc)
            del pdoc["model_provider"]
        changes += _change(file.path, before, _dumps(pdoc))
    for path, text in texts.items():
        original = _read(path)
        if text is not None:
            changes += _change(path, original, text)
    return changes


FIXERS = [
    Fixer("codex.wire-api", 'Set wire_api = "responses" in every provider table',
          ("CDX012",), fix_wire_api, RERUN),
    Fixer("codex.legacy-profile", "Move [profiles.NAME] into NAME.config.toml",
          ("CDX032", "CDX033"), fix_legacy_profile, RERUN),
    Fixer("codex.project-providers",
          "Move provider settings from project .codex/config.toml to the user config",
          ("CDX041", "CDX042", "CDX043"), fix_project_providers, RERUN),
    Fixer("codex.add-provider", "Add the [model_providers.antseed] table",
          ("CDX002", "CDX011"), fix_add_provider, RERUN),
]
