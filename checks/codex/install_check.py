"""codex.install: which codex runs, its version, and whether its npm install is whole."""

from __future__ import annotations

from typing import List, Optional

from doctor.context import Context
from doctor.finding import Finding, Fix, error, info, ok, warning
from doctor.plugin import check

from ..programs import first_line_of_version
from . import effects
from .install import Install, installations

INSTALL = "npm install -g @openai/codex@latest"
NODE_TIMEOUT = 1.0

CODES = {
    "CDX050": "codex is on PATH and its version is known",
    "CDX051": "codex is not on PATH",
    "CDX052": "several codex installs on PATH: an earlier one shadows another",
    "CDX053": "the npm install lacks its platform package (Missing optional dependency)",
    "CDX054": "Node.js, which the npm launcher needs, is missing or too old",
    "CDX055": "the version of the codex on PATH could not be read",
}


def node_version(ctx: Context) -> Optional[str]:
    return first_line_of_version(ctx, "node", NODE_TIMEOUT)


def _node_findings(ctx: Context, first: Install) -> List[Finding]:
    version = ctx.memo(node_version)
    if version is None:
        return [error(
            "CDX054", "Node.js is not on PATH, but this codex is the npm launcher",
            f"{first.path} starts with `#!/usr/bin/env node`; without Node it cannot run.",
            Fix("Install Node.js 16 or later (e.g. from your OS packages or nodejs.org), or "
                "install a native Codex build.", ("node --version",)),
            effect=effects.REFUSES_TO_START)]
    major = version.lstrip("v").split(".")[0]
    if major.isdigit() and int(major) < 16:
        return [error(
            "CDX054", f"Node.js {version} is too old for the Codex npm launcher (needs >=16)",
            "", Fix("Upgrade Node.js to 16 or later.", ("node --version",)),
            effect=effects.REFUSES_TO_START, node=version)]
    return []


@check("codex.install", "Codex installation", codes=CODES, order=10)
def codex_install_check(ctx: Context) -> List[Finding]:
    installs = ctx.memo(installations)
    override = ctx.option("codex_version")
    if not installs:
        if override:
            return [info("CDX051", f"codex is not on PATH; applying Codex {override} rules as "
                                   "asked (--codex-version)", "",
                         Fix("Install Codex to check the real install too.", (INSTALL,)),
                         effect=effects.NONE)]
        return [error("CDX051", "Codex is not installed: no codex on PATH",
                      f"PATH has {len(ctx.env.get('PATH', '').split(':'))} directories; none "
                      "holds an executable named codex.",
                      Fix("Install the Codex CLI with npm, then open a new shell.",
                          (INSTALL, "codex --version")),
                      effect=effects.REFUSES_TO_START)]
    first = installs[0]
    findings: List[Finding] = []
    if first.version is None:
        findings.append(warning(
            "CDX055", f"the version of {first.path} could not be read",
            f"{first.problem}. The doctor applies the newest rules it knows.",
            Fix("Check that this codex runs, or reinstall it.", (f"{first.path} --version",
                                                                 INSTALL)),
            effect=effects.NONE, path=first.path))
    if first.missing_platform:
        findings.append(error(
            "CDX053", f"{first.missing_platform} is missing from the npm install",
            f"Running {first.path} fails with: Missing optional dependency "
            f"{first.missing_platform}. Reinstall Codex: {INSTALL}",
            Fix("Reinstall Codex (optional dependencies must not be omitted).",
                (INSTALL,)),
            effect=effects.REFUSES_TO_START, package=first.missing_platform))
    if first.npm_root is not None:
        findings.extend(_node_findings(ctx, first))
    versions = {str(i.version) for i in installs if i.version}
    if len(installs) > 1:
        others = ", ".join(f"{i.path} ({i.version or 'unknown'})" for i in installs[1:])
        shadow = warning if len(versions) > 1 else info
        findings.append(shadow(
            "CDX052", f"{len(installs)} codex installs on PATH; {first.path} "
                      f"({first.version or 'unknown'}) is the one that runs",
            f"Shadowed: {others}. `codex` always runs the first one on PATH.",
            Fix("Uninstall the copies you do not use, or put the one you want first on PATH.",
                ("which -a codex",)),
            effect=effects.NONE, installs=[i.path for i in installs]))
    if not any(f.severity >= f.severity.WARNING for f in findings):
        node = ctx.memo(node_version) if first.npm_root is not None else None
        findings.append(ok("CDX050", f"codex {first.version} at {first.path}",
                           f"version from {first.version_source}"
                           + (f"; Node.js {node}" if node else ""),
                           path=first.real, node=node))
    return findings
