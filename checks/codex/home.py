"""codex.home: CODEX_HOME and the user-level config.toml can be read at all."""

from __future__ import annotations

from typing import Iterator

from doctor.context import Context
from doctor.finding import FileEdit, Finding, Fix, error, ok, warning
from doctor.plugin import check

from . import effects, layout, recommend
from .install import codex_version
from .tomlfile import FileState, TomlFile

CODES = {
    "CDX000": "CODEX_HOME and config.toml are readable",
    "CDX001": "CODEX_HOME is set but missing or not a directory (every Codex command fails)",
    "CDX002": "the user-level config.toml does not exist",
    "CDX003": "config.toml is not a regular file",
    "CDX004": "config.toml cannot be read (permissions)",
    "CDX005": "config.toml is binary or not UTF-8",
    "CDX006": "config.toml is not valid TOML",
    "CDX007": "config.toml is too large to inspect",
}


def describe_file_problem(ctx: Context, file: TomlFile, what: str) -> tuple:
    """(code suffix, title, detail, fix) for a file Codex cannot use."""
    shown = layout.display(ctx, file.path)
    recreate = FileEdit(shown, tuple(recommend.provider_lines(ctx)), "a fresh file")
    if file.state is FileState.NOT_A_FILE:
        return (3, f"{what} {shown} is {file.problem}, not a file",
                "Codex fails with `Error loading config.toml` when it cannot read the file.",
                Fix(f"Move {shown} out of the way and create a real file there.",
                    (f'mv "{file.path}" "{file.path}.moved"',), recreate))
    if file.state is FileState.UNREADABLE:
        return (4, f"{what} {shown} cannot be read: {file.problem}",
                "Codex cannot load a file it cannot read and refuses to start.",
                Fix("Give your user read and write access to the file.",
                    (f'sudo chown "$(id -un)" "{file.path}"', f'chmod u+rw "{file.path}"')))
    if file.state in (FileState.BINARY, FileState.NOT_UTF8):
        where = f" (line {file.line}, column {file.column})" if file.line else ""
        return (5, f"{what} {shown} is not UTF-8 text{where}",
                f"{file.problem}. Codex refuses to start with a config it cannot parse.",
                Fix(f"Restore {shown} from a backup, or move it away and write it anew.",
                    (f'mv "{file.path}" "{file.path}.broken"',), recreate))
    if file.state is FileState.INVALID_TOML:
        return (6, f"{what} is not valid TOML at {layout.display(ctx, file.path)}"
                   f":{file.line or '?'}:{file.column or '?'}",
                f"{file.problem}. Codex prints `Error loading config.toml:` with the same "
                "position and refuses to start.",
                Fix(f"Correct line {file.line or '?'} of {shown}: quote string values "
                    '(`model = "x"`), close every [table] bracket, and define each key once.',
                    (f'sed -n "{max(1, (file.line or 1) - 2)},{(file.line or 1) + 2}p" '
                     f'"{file.path}"',)))
    return (7, f"{what} {shown} is unusually large: {file.problem}",
            "The doctor does not inspect files this large; Codex config files are a few KB.",
            Fix(f"Trim {shown} to the settings you use.", (f'ls -l "{file.path}"',)))


@check("codex.home", "Codex home and config.toml", requires=("codex.install",),
       codes=CODES, order=10)
def codex_home_check(ctx: Context) -> Iterator[Finding]:
    home = ctx.memo(layout.codex_home)
    if home.problem:
        missing = home.problem == "missing"
        yield error(
            "CDX001", f"CODEX_HOME points to {'a missing directory' if missing else 'a file'}: "
                      f"{home.path}",
            f'Every Codex command fails with: Error finding codex home: CODEX_HOME points to '
            f'"{home.path}", but that path does not exist.' if missing else
            "Codex requires CODEX_HOME to be an existing directory.",
            Fix("Create the directory, or unset CODEX_HOME to use ~/.codex.",
                (f'mkdir -p "{home.path}"', "unset CODEX_HOME")),
            effect=effects.REFUSES_TO_START, codex_home=str(home.path))
        return
    user = ctx.memo(layout.user_config)
    shown = layout.display(ctx, user.path)
    if user.state is FileState.MISSING:
        version = ctx.memo(codex_version).version
        lines = [*recommend.provider_lines(ctx)]
        selection = recommend.selection_edit(ctx, version, None)
        yield error(
            "CDX002", f"{shown} does not exist",
            "Without the user-level config Codex knows no AntSeed provider and sends "
            "every request to OpenAI.",
            Fix(f"Create {shown} with the AntSeed provider; then put model and "
                f"model_provider in {selection.path}; {recommend.model_hint(ctx)}.",
                (f'mkdir -p "{user.path.parent}"',),
                FileEdit(shown, tuple(lines), "create the file with")),
            effect=effects.MISROUTES, path=str(user.path))
        return
    if not user.ok:
        number, title, detail, fix = describe_file_problem(ctx, user, "The user config")
        severity = warning if user.state is FileState.TOO_LARGE else error
        yield severity(f"CDX00{number}", title, detail, fix,
                       effect=effects.REFUSES_TO_START, path=str(user.path),
                       state=user.state.value, line=user.line, column=user.column)
        return
    yield ok("CDX000", f"{shown} parses ({len(user.data)} top-level keys)",
             f"CODEX_HOME {'from the environment' if home.from_env else 'default'}: "
             f"{layout.display(ctx, home.path)}", path=str(user.path), size=user.size)
