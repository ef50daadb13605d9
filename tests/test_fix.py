"""--fix on real files with comments and odd formatting: exact text, backups, idempotence, undo."""

from __future__ import annotations

import hashlib
import json
import os
import pty
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict

from tests.fake_proxy import PEER, write_buyer_state
from tests.homes import Home, doctor


def snapshot(root: Path) -> Dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


ODD_GUIDE = '''# my settings -- keep this comment
approval_policy="never"   # inline

# Register AntSeed as a custom model provider.
[model_providers.antseed]
name    = "AntSeed"
base_url = "http://127.0.0.1:8377/v1"
  wire_api   =   "chat"  # or "responses"

# Bundle the provider + a default model into a profile.
[profiles.antseed]
model = "mock-model"    # pick one from /v1/models
model_provider = "antseed"

[projects."/srv/x"]
trust_level = "trusted"
'''

ODD_GUIDE_FIXED = '''# my settings -- keep this comment
approval_policy="never"   # inline

# Register AntSeed as a custom model provider.
[model_providers.antseed]
name    = "AntSeed"
base_url = "http://127.0.0.1:8377/v1"
  wire_api   =   "responses"  # or "responses"

[projects."/srv/x"]
trust_level = "trusted"
'''

PROFILE_FROM_GUIDE = '''# Bundle the provider + a default model into a profile.
model = "mock-model"    # pick one from /v1/models
model_provider = "antseed"
'''


def _fix(home: Home, *extra: str, version: str = "0.169.0"):
    return doctor(home, "--fix", "--yes", "--select", "codex", *extra, version=version)


def test_guide_config_is_migrated_exactly_with_backup(home):
    home.config(ODD_GUIDE)
    r = _fix(home)
    assert r.code == 0, r.stdout
    assert (home.codex / "config.toml").read_text() == ODD_GUIDE_FIXED
    assert (home.codex / "antseed.config.toml").read_text() == PROFILE_FROM_GUIDE
    backups = sorted(home.codex.glob("config.toml.antseed-doctor-*.bak"))
    assert len(backups) == 1 and backups[0].read_text() == ODD_GUIDE
    assert "--- " in r.stdout and "+++ " in r.stdout and "Applied;" in r.stdout


def test_fixing_twice_changes_nothing(home):
    home.config(ODD_GUIDE)
    _fix(home)
    before = snapshot(home.root)
    r = _fix(home)
    assert "Nothing that --fix can repair was found." in r.stdout
    assert snapshot(home.root) == before


def test_undo_restores_every_byte_and_removes_created_files(home):
    home.config(ODD_GUIDE)
    original = (home.codex / "config.toml").read_bytes()
    _fix(home)
    r = doctor(home, "--undo")
    assert r.code == 0
    assert (home.codex / "config.toml").read_bytes() == original
    assert not (home.codex / "antseed.config.toml").exists()
    assert "Nothing to undo" in doctor(home, "--undo").stdout


def test_undo_keeps_edits_made_after_the_fix(home):
    home.config(ODD_GUIDE)
    _fix(home)
    (home.codex / "antseed.config.toml").write_text('model = "mine"\n')
    doctor(home, "--undo")
    kept = list(home.codex.glob("antseed.config.toml.antseed-doctor-undo-*.bak"))
    assert len(kept) == 1 and kept[0].read_text() == 'model = "mine"\n'


def test_without_yes_and_without_a_terminal_nothing_changes(home):
    home.config(ODD_GUIDE)
    before = snapshot(home.root)
    r = doctor(home, "--fix", "--select", "codex")
    assert "Not applied: standard input is not a terminal; re-run with --yes" in r.stdout
    assert "wire_api" in r.stdout  # the diff is still shown
    assert snapshot(home.root) == before


def test_dry_run_shows_diffs_and_writes_nothing(home):
    home.config(ODD_GUIDE)
    before = snapshot(home.root)
    r = doctor(home, "--fix", "--dry-run", "--yes")
    assert '+  wire_api   =   "responses"  # or "responses"' in r.stdout
    assert "(dry run: nothing written)" in r.stdout
    assert snapshot(home.root) == before


def test_a_plain_run_leaves_every_file_byte_identical(home, proxy):
    home.config(ODD_GUIDE.replace("8377", str(proxy.port)))
    project = home.work / ".codex"
    project.mkdir()
    (project / "config.toml").write_text('model_provider = "antseed"\n')
    data = home.home / ".antseed"
    write_buyer_state(data, port=proxy.port, pin="0x" + PEER)
    before = snapshot(home.root)
    for args in (("--json",), ("-v",), ("config",), ("--live",), ("--list-checks",)):
        doctor(home, *args)
    assert snapshot(home.root) == before


def test_wire_api_fix_on_0_100_keeps_the_legacy_profile(home):
    home.config(ODD_GUIDE)
    _fix(home, version="0.100.0")
    text = (home.codex / "config.toml").read_text()
    assert 'wire_api   =   "responses"  # or "responses"' in text
    assert "[profiles.antseed]" in text  # right for Codex <=0.133
    assert not (home.codex / "antseed.config.toml").exists()


def test_missing_provider_is_added(home):
    home.config("# only a comment\nmodel = \"mock-model\"\n")
    home.profile('model_provider = "antseed"\nmodel = "mock-model"\n')
    _fix(home)
    assert (home.codex / "config.toml").read_text() == (
        '# only a comment\nmodel = "mock-model"\n\n[model_providers.antseed]\n'
        'name = "AntSeed"\nbase_url = "http://127.0.0.1:8377/v1"\nwire_api = "responses"\n')


def test_missing_config_file_is_created(home):
    r = _fix(home)
    assert (home.codex / "config.toml").read_text() == (
        '[model_providers.antseed]\nname = "AntSeed"\nbase_url = "http://127.0.0.1:8377/v1"\n'
        'wire_api = "responses"\n')
    assert "(new file)" in r.stdout


PROJECT = '''model = "mock-model"   # project model stays
# the AntSeed route
model_provider = "antseed"

[model_providers.antseed]
name = "AntSeed"   # from the old guide
base_url = "http://127.0.0.1:8377/v1"

[mcp_servers.docs]
command = "docs-server"
'''


def test_project_provider_blocks_move_to_the_user_level(home):
    repo = home.work / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".codex").mkdir()
    (repo / ".codex" / "config.toml").write_text(PROJECT)
    home.config(f'# user config\n[projects."{repo}"]\ntrust_level = "trusted"\n')
    r = doctor(home, "--fix", "--yes", "--select", "codex", cwd=repo)
    assert r.code == 0, r.stdout
    assert (repo / ".codex" / "config.toml").read_text() == (
        'model = "mock-model"   # project model stays\n# the AntSeed route\n\n'
        '[mcp_servers.docs]\ncommand = "docs-server"\n')
    assert (home.codex / "config.toml").read_text() == (
        f'# user config\n[projects."{repo}"]\ntrust_level = "trusted"\n\n'
        '[model_providers.antseed]\nname = "AntSeed"   # from the old guide\n'
        'base_url = "http://127.0.0.1:8377/v1"\n')
    assert (home.codex / "antseed.config.toml").read_text() == 'model_provider = "antseed"\n'
    assert list((repo / ".codex").glob("config.toml.antseed-doctor-*.bak"))


def test_0x_pin_is_stripped_in_place(home, proxy):
    home.config(ODD_GUIDE_FIXED.replace("8377", str(proxy.port)))
    home.profile(PROFILE_FROM_GUIDE)
    data = home.home / ".antseed"
    state = write_buyer_state(data, port=proxy.port, pin="0x" + PEER.upper())
    before = state.read_text()
    r = doctor(home, "--fix", "--yes")
    after = state.read_text()
    assert after == before.replace("0x" + PEER.upper(), PEER)
    assert json.loads(after)["pinnedPeerId"] == PEER
    assert "[✓] Pinned seller peer (antseed.peer)" in r.stdout


def _interactive(home: Home, answer: bytes) -> str:
    """Run --fix on a real pseudo-terminal and answer the prompt."""
    primary, secondary = pty.openpty()
    exe = Path(sys.executable).parent / "antseed-doctor"
    proc = subprocess.Popen([str(exe), "--codex-version", "0.169.0", "--fix", "--select",
                             "codex.provider"], stdin=secondary, stdout=secondary,
                            stderr=secondary, cwd=home.work, env=home.env(), close_fds=True)
    os.close(secondary)
    output = b""
    deadline = time.monotonic() + 20
    answered = False
    while time.monotonic() < deadline:
        try:
            chunk = os.read(primary, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
        if not answered and b"Apply this fix?" in output:
            os.write(primary, answer)
            answered = True
    proc.wait(timeout=20)
    os.close(primary)
    return output.decode("utf-8", "replace")


def test_a_terminal_is_asked_and_no_means_no(home):
    home.config(ODD_GUIDE)
    before = snapshot(home.root)
    out = _interactive(home, b"n\n")
    assert "Apply this fix? [y/N]" in out
    assert snapshot(home.root) == before
    out = _interactive(home, b"y\n")
    assert 'wire_api   =   "responses"' in (home.codex / "config.toml").read_text()
