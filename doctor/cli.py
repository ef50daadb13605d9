"""The ``antseed-doctor`` command: the only module that prints.

Plugins contribute checks, options and views; this module wires them into
click, runs the checks, renders the report and picks the exit code:
0 healthy, 1 findings at or above ``--fail-on``, 2 usage error, 3 the doctor
itself failed (a crashed or timed-out check, the deadline, a broken plugin).
"""

from __future__ import annotations

import datetime
import os
import shutil
import sys
import time
from typing import Any, Dict, List, Optional, Sequence, Tuple

import click

from . import __version__, settings
from .context import Context
from .finding import Severity
from .plugin import Check, Option
from .redact import Redactor
from .registry import Registry
from .render import json as json_render
from .render import text as text_render
from .report import Silencer, build, exit_code
from .runner import run_checks, with_requirements

EXIT_DOCTOR_FAILED = 3


def _split(values: Sequence[str]) -> List[str]:
    return [part.strip() for v in values for part in v.split(",") if part.strip()]


def select_checks(registry: Registry, select: Sequence[str], ignore: Sequence[str]) -> List[Check]:
    """Checks chosen by id, id prefix (``codex``) or finding code, plus their requirements."""

    def matches(check: Check, token: str) -> bool:
        return (check.id == token or check.id.startswith(token + ".")
                or any(code.startswith(token) for code in check.codes))

    wanted = [c.id for c in registry.checks.values()
              if not select or any(matches(c, t) for t in select)]
    ignored_ids = {c.id for c in registry.checks.values()
                   if any(c.id == t or c.id.startswith(t + ".") for t in ignore)}
    return with_requirements(registry.checks, [w for w in wanted if w not in ignored_ids])


def _want_color(flag: Optional[bool], env: Dict[str, str]) -> bool:
    if flag is not None:
        return flag
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def _want_ascii(flag: bool) -> bool:
    if flag:
        return True
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        "✓✗⌛☠→•".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return True
    return False


def _list_checks(registry: Registry) -> str:
    lines = []
    for check in registry.checks.values():
        flags = []
        if check.requires:
            flags.append("requires " + ", ".join(check.requires))
        if check.network:
            flags.append("network")
        suffix = f"  [{'; '.join(flags)}]" if flags else ""
        lines.append(f"{check.id}  {check.title}{suffix}")
        lines.extend(f"    {code}  {text}" for code, text in check.codes.items())
    return "\n".join(lines) + "\n"


def _plugin_params(options: Sequence[Option]) -> List[click.Option]:
    def callback(option: Option) -> Any:
        def check(_ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
            problem = option.validate(value) if option.validate and value is not None else None
            if problem:
                raise click.BadParameter(problem)
            return value
        return check

    return [
        click.Option([*o.flags, o.name], help=o.help, default=o.default,
                     is_flag=o.is_flag, metavar=o.metavar, show_default=o.default is not None,
                     callback=callback(o))
        for o in options
    ]


def _make_context(opts: Dict[str, Any], registry: Registry) -> Context:
    plugin_values = {o.name: opts.get(o.name) for o in registry.options}
    return Context(options=plugin_values, deadline=time.monotonic() + opts["timeout"])


def _style(opts: Dict[str, Any]) -> text_render.Style:
    width = min(120, max(60, _terminal_width()))
    return text_render.Style(color=_want_color(opts["color"], dict(os.environ)),
                             ascii=_want_ascii(opts["ascii"]), verbose=opts["verbose"],
                             width=width)


def _terminal_width() -> int:
    """COLUMNS if set, else the terminal's width, else 100 (pipes, CI logs)."""
    return shutil.get_terminal_size((100, 24)).columns


def _execute(registry: Registry, opts: Dict[str, Any]) -> Tuple[Context, Dict[str, Any]]:
    """Run the selected checks and build the report data."""
    ctx = _make_context(opts, registry)
    checks = select_checks(registry, _split(opts["select"]), _split(opts["ignore"]))
    user_settings = settings.load(ctx.env, ctx.home)
    if user_settings.exists and not opts["select"]:
        checks.append(settings.settings_check)
    run = run_checks(checks, ctx, timeout=opts["timeout"])
    today = datetime.date.today()
    rules = tuple(s for s in user_settings.silences if s.active(today))
    report = build(ctx, registry, run, Silencer(tuple(_split(opts["ignore"])), rules),
                   opts["debug"])
    return ctx, report


def _run_doctor(registry: Registry, opts: Dict[str, Any]) -> int:
    ctx, report = _execute(registry, opts)
    return _show(registry, opts, ctx, report)


def _show(registry: Registry, opts: Dict[str, Any], ctx: Context,
          report: Dict[str, Any]) -> int:
    """Print the report in the chosen format; return the exit code."""
    redactor = Redactor.from_env(ctx.env, ctx.secrets)
    fmt = "json" if opts["json"] else opts["format"]
    fail_on = Severity.parse(opts["fail_on"])
    if fmt == "json":
        click.echo(json_render.render(report, redactor), nl=False)
    elif fmt == "github":
        from .render import github

        click.echo(github.render(report, redactor), nl=False)
    elif fmt == "junit":
        from .render import junit

        click.echo(junit.render(report, redactor, fail_on), nl=False)
    else:
        style = _style(opts)
        views: List[str] = []
        if opts["verbose"]:
            for view in registry.views.values():
                views.extend(_render_view(view, ctx, style))
        # click strips ANSI codes from non-terminals unless told the colour decision
        click.echo(text_render.render(report, style, redactor, views), nl=False,
                   color=style.color)
    return exit_code(report, fail_on)


def _undo(registry: Registry, opts: Dict[str, Any]) -> int:
    from . import fixing  # only --fix/--undo pay for difflib, tempfile, shutil

    ctx = _make_context(opts, registry)
    done = fixing.undo(fixing.journal_path(ctx.env, ctx.home))
    click.echo("\n".join(done) if done else "Nothing to undo: no --fix run is recorded.")
    return 0


def _fix(registry: Registry, opts: Dict[str, Any]) -> int:
    """Propose, confirm and apply each fixer whose codes were found; then re-check."""
    from . import fixing

    ctx, report = _execute(registry, opts)
    found = {f["code"] for c in report["checks"].values() for f in c["findings"]
             if f["severity"] != "ok" and not f.get("silenced")}
    fixers = [f for f in registry.fixers.values() if found & set(f.codes)]
    redactor = Redactor.from_env(ctx.env, ctx.secrets)
    interactive = sys.stdin.isatty()
    run_stamp = fixing.stamp()
    journal = fixing.journal_path(ctx.env, ctx.home)
    applied: List[str] = []
    pending = 0
    for fixer in fixers:
        fresh = _make_context(opts, registry)
        changes = list(fixer.func(fresh))
        if not changes:
            continue
        click.echo(f"Fix: {fixer.title}")
        for change in changes:
            click.echo(redactor.text(fixing.unified_diff(change, str(change.path))), nl=False)
        if opts["dry_run"]:
            pending += 1
            click.echo("(dry run: nothing written)\n")
            continue
        if not opts["yes"]:
            if not interactive:
                pending += 1
                click.echo("Not applied: standard input is not a terminal; re-run with --yes "
                           "to apply.\n")
                continue
            if not click.confirm("Apply this fix?", default=False):
                pending += 1
                continue
        entries = fixing.apply(changes, run_stamp)
        fixing.save_journal(journal, run_stamp, entries)
        for entry in entries:
            note = f"backup {entry['backup']}" if entry["backup"] else "new file"
            click.echo(f"Wrote {entry['path']} ({note})")
        click.echo("")
        applied.extend(fixer.rerun)
    if not applied:
        if not pending:
            click.echo("Nothing that --fix can repair was found.")
        return _show(registry, opts, ctx, report)  # nothing changed: no need to re-check
    click.echo("Applied; undo with `antseed-doctor --undo`. Checking again:\n")
    rerun = dict(opts, select=tuple(dict.fromkeys(applied)))
    return _run_doctor(registry, rerun)


def _render_view(view: Any, ctx: Context, style: text_render.Style) -> List[str]:
    try:
        rows = view.func(ctx)
    except Exception as exc:
        return [view.title, f"  (could not compute: {type(exc).__name__}: {exc})", ""]
    return text_render.render_view(view.title, rows, style)


def build_cli(registry: Registry) -> click.Group:
    @click.group(invoke_without_command=True,
                 context_settings={"help_option_names": ["-h", "--help"]})
    @click.option("--json", "json", is_flag=True, help="Print the JSON report (schema_version 1).")
    @click.option("--format", "format", type=click.Choice(["text", "json", "github", "junit"]),
                  default="text", show_default=True,
                  help="Output format: human text, JSON, GitHub annotations or JUnit XML.")
    @click.option("-v", "--verbose", is_flag=True, help="Show OK findings, evidence and views.")
    @click.option("--select", multiple=True, metavar="ID|CODE",
                  help="Run only these checks (id, id prefix or finding code); repeatable.")
    @click.option("--ignore", multiple=True, metavar="ID|CODE",
                  help="Skip these checks, or silence these finding codes; repeatable.")
    @click.option("--fail-on", type=click.Choice(["info", "warning", "error"]), default="error",
                  show_default=True, help="Exit 1 when a finding is at least this severe.")
    @click.option("--timeout", type=click.FloatRange(min=0.1, max=600), default=3.0,
                  show_default=True, help="Global deadline in seconds; partial results after it.")
    @click.option("--debug", is_flag=True, help="Show full tracebacks of crashed checks.")
    @click.option("--ascii", is_flag=True, help="Use ASCII markers instead of Unicode symbols.")
    @click.option("--color/--no-color", default=None, help="Force colours on or off.")
    @click.option("--list-checks", is_flag=True, help="List every check and its codes, then exit.")
    @click.option("--fix", is_flag=True,
                  help="Repair config files: show each diff, ask, back up, write atomically.")
    @click.option("--yes", "-y", is_flag=True, help="Apply fixes without asking.")
    @click.option("--dry-run", is_flag=True, help="With --fix: show the diffs, write nothing.")
    @click.option("--undo", is_flag=True, help="Restore the files the last --fix changed.")
    @click.version_option(__version__, "--version", prog_name="antseed-doctor")
    @click.pass_context
    def cli(click_ctx: click.Context, **opts: Any) -> None:
        """Diagnose Codex CLI running through a local AntSeed buyer proxy."""
        click_ctx.obj = opts
        if click_ctx.invoked_subcommand is not None:
            return
        if opts["list_checks"]:
            click.echo(_list_checks(registry), nl=False)
            click_ctx.exit(0)
        if opts["undo"]:
            click_ctx.exit(_undo(registry, opts))
        if opts["fix"] or opts["dry_run"]:
            click_ctx.exit(_fix(registry, opts))
        click_ctx.exit(_run_doctor(registry, opts))

    cli.params.extend(_plugin_params(registry.options))

    @cli.command("config")
    @click.pass_obj
    def config_cmd(opts: Dict[str, Any]) -> None:
        """Print the effective configuration the diagnosed launch will use."""
        ctx = _make_context(opts, registry)
        style = _style(opts)
        view = registry.views.get("config")
        if view is None:
            raise click.UsageError("no plugin provides a 'config' view")
        lines = _render_view(view, ctx, style)
        text = Redactor.from_env(ctx.env, ctx.secrets).text("\n".join(lines))
        click.echo(text_render.asciify(text) if style.ascii else text)

    @cli.command("report")
    @click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown",
                  show_default=True, help="Markdown for people, or the JSON contract.")
    @click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
                  help="Where to write it (default antseed-doctor-report.md / .json).")
    @click.option("--stdout", "to_stdout", is_flag=True, help="Print the report instead.")
    @click.option("--anonymize", is_flag=True,
                  help="Replace wallet addresses and peer ids with stable pseudonyms.")
    @click.pass_obj
    def report_cmd(opts: Dict[str, Any], fmt: str, output: Optional[str], to_stdout: bool,
                   anonymize: bool) -> None:
        """Write one redacted report to attach to a support ticket."""
        from .support import build_support_report

        target = output or ("antseed-doctor-report.md" if fmt == "markdown"
                            else "antseed-doctor-report.json")
        ctx, report = _execute(registry, opts)
        text, contents = build_support_report(ctx, registry, report, fmt, anonymize)
        if to_stdout:
            click.echo(text, nl=False)
        else:
            click.echo("The report includes: " + "; ".join(contents) + ".", err=True)
            click.echo("Secrets, URL credentials and your home path are redacted; the manifest "
                       "at the end says what was removed.", err=True)
            _write_new_file(target, text)
            click.echo(f"Wrote {target}. Read it before you attach it.", err=True)
        click.get_current_context().exit(exit_code(report, Severity.parse(opts["fail_on"])))

    return cli


class DoctorFailed(click.ClickException):
    """The doctor could not do what was asked (exit 3, not a finding)."""

    exit_code = EXIT_DOCTOR_FAILED


def _write_new_file(path: str, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise DoctorFailed(f"cannot write {path}: {exc.strerror or exc}") from None


def main(argv: Optional[Sequence[str]] = None) -> None:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        registry = Registry.from_entry_points()
        build_cli(registry).main(args=list(argv) if argv is not None else None,
                                 prog_name="antseed-doctor")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # the doctor must never greet a user with a traceback
        message = f"antseed-doctor failed: {type(exc).__name__}: {exc}"
        redactor = Redactor.from_env(os.environ)
        click.echo(redactor.text(message), err=True)
        if debug:
            import traceback

            click.echo(redactor.text(traceback.format_exc()), err=True)
        else:
            click.echo("Run again with --debug for the full traceback.", err=True)
        sys.exit(EXIT_DOCTOR_FAILED)
