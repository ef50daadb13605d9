"""codex.shell: shell start-up files that re-route Codex behind the config's back.

The guide warns that ``-c model_provider=…`` overrides do not persist, so
users wrap them in aliases; exported ``OPENAI_BASE_URL`` lines linger too.
Only the file and line number are reported: rc files often hold secrets.
"""

from __future__ import annotations

import re
from typing import List

from doctor.context import Context
from doctor.finding import Finding, Fix, ok, warning
from doctor.plugin import check

from . import effects, layout

CODES = {
    "CDX080": "no shell alias or export re-routes Codex",
    "CDX081": "a shell alias/function runs codex with -c model_provider=…",
    "CDX082": "a shell start-up file exports OPENAI_BASE_URL",
}

RC_FILES = (".bashrc", ".bash_profile", ".bash_aliases", ".profile", ".zshrc", ".zprofile",
            ".zshenv", ".config/fish/config.fish")
MAX_BYTES = 512 * 1024
_OVERRIDE = re.compile(r"\bcodex\b.*(?:-c|--config)[ =]+['\"]?model_provider")
_EXPORT = re.compile(r"^\s*(?:export\s+|set\s+-gx\s+|set\s+-x\s+|setenv\s+)?OPENAI_BASE_URL\b")


@check("codex.shell", "Shell aliases and exports around codex", codes=CODES, order=10)
def codex_shell_check(ctx: Context) -> List[Finding]:
    findings: List[Finding] = []
    for name in RC_FILES:
        path = ctx.home / name
        try:
            with open(path, "rb") as handle:
                text = handle.read(MAX_BYTES).decode("utf-8", "replace")
        except OSError:
            continue
        shown = layout.display(ctx, path)
        for number, line in enumerate(text.splitlines(), 1):
            if line.lstrip().startswith("#"):
                continue
            if _OVERRIDE.search(line):
                findings.append(warning(
                    "CDX081", f"{shown}:{number} runs codex with -c model_provider=…",
                    "A -c override applies to that one launch only; plain `codex`, other "
                    "shells and `codex resume` fall back to config.toml.",
                    Fix(f"Put the provider in the Codex config instead (see codex.profile) and "
                        f"delete line {number} of {shown}.", (f"sed -n '{number}p' {shown}",)),
                    effect=effects.NONE, file=str(path), line=number))
            elif _EXPORT.search(line):
                findings.append(warning(
                    "CDX082", f"{shown}:{number} sets OPENAI_BASE_URL",
                    "Codex ignores it from 0.120 and never applies it to a custom provider.",
                    Fix(f"Delete line {number} of {shown} and open a new shell.",
                        (f"sed -n '{number}p' {shown}",)),
                    effect=effects.NONE, file=str(path), line=number))
    if not findings:
        findings.append(ok("CDX080", "no shell alias or export re-routes Codex"))
    return findings
