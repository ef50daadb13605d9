"""codex.install against the real npm layouts of pinned Codex releases."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.codex_cli import codex_bin_dir
from tests.homes import GOOD_PROFILE_FILE, GOOD_PROVIDER, Home, doctor

LINUX_X64 = platform.system() == "Linux" and platform.machine() in ("x86_64", "AMD64")
TRIPLE = "x86_64-unknown-linux-musl"


def _bin(version: str) -> Path:
    found, why = codex_bin_dir(version)
    if found is None:
        pytest.skip(why)
    return found


def _real_version(bin_dir: Path) -> str:
    done = subprocess.run([str(bin_dir / "codex"), "--version"], capture_output=True,
                          text=True, timeout=30, stdin=subprocess.DEVNULL,
                          env={"PATH": f"{bin_dir}:{os.path.dirname(shutil.which('node') or '')}",
                               "HOME": "/nonexistent"})
    return done.stdout.strip().removeprefix("codex-cli ")


def _install(home: Home, *bin_dirs: Path, **args: object):
    home.config(GOOD_PROVIDER)
    home.profile(GOOD_PROFILE_FILE)
    path = os.pathsep.join([*map(str, bin_dirs), str(home.bin)])
    return doctor(home, "--json", env=home.env(PATH=path), version=None, **args)


def _finding(report, code):
    return next(f for c in report["checks"].values() for f in c["findings"] if f["code"] == code)


@pytest.mark.codex
@pytest.mark.parametrize("version", ["0.94.0", "0.169.0"])
def test_version_from_the_npm_launcher_matches_codex_version(home, version):
    bin_dir = _bin(version)
    assert _real_version(bin_dir) == version
    r = _install(home, bin_dir)
    report = r.report
    assert report["environment"]["codex_version"] == version
    assert report["environment"]["codex_version_source"].endswith(
        "node_modules/@openai/codex/package.json")
    assert report["checks"]["codex.install"]["status"] == "ok"
    node = report["checks"]["codex.install"]["findings"][0]["evidence"]["node"]
    assert node.startswith("v") and node[1:].split(".")[0].isdigit()


@pytest.mark.codex
@pytest.mark.skipif(not LINUX_X64, reason="the native binary paths below are linux-x64's")
@pytest.mark.parametrize("version,native", [
    ("0.169.0", f"@openai/codex-linux-x64/vendor/{TRIPLE}/bin"),
    ("0.94.0", f"@openai/codex/vendor/{TRIPLE}/codex"),
])
def test_version_of_the_native_binary_on_path(home, version, native):
    native_dir = _bin(version).parent / native
    r = _install(home, native_dir)
    env = r.report["environment"]
    assert env["codex_version"] == version
    expected = "codex-package.json" if version == "0.169.0" else "@openai/codex/package.json"
    assert env["codex_version_source"].endswith(expected)


@pytest.mark.codex
@pytest.mark.skipif(not LINUX_X64, reason="uses the linux-x64 native binary")
def test_version_falls_back_to_codex_version_outside_npm(home):
    source = _bin("0.94.0").parent / f"@openai/codex/vendor/{TRIPLE}/codex/codex"
    standalone = home.root / "standalone"
    standalone.mkdir()
    try:
        os.link(source, standalone / "codex")
    except OSError:
        shutil.copy2(source, standalone / "codex")
    r = _install(home, standalone)
    env = r.report["environment"]
    assert env["codex_version"] == "0.94.0"
    assert env["codex_version_source"] == f"{standalone / 'codex'} --version"


@pytest.mark.codex
def test_shadowed_install_names_the_one_that_runs(home):
    old, new = _bin("0.94.0"), _bin("0.169.0")
    r = _install(home, old, new)
    f = _finding(r.report, "CDX052")
    assert f["severity"] == "warning"
    assert f"{old / 'codex'} (0.94.0) is the one that runs" in f["title"]
    assert str(new / "codex") in f["detail"]
    assert r.report["environment"]["codex_version"] == "0.94.0"


@pytest.mark.codex
def test_missing_platform_package_matches_what_the_launcher_says(home):
    real_pkg = _bin("0.169.0").parent / "@openai" / "codex"
    modules = home.root / "broken" / "node_modules"
    shutil.copytree(real_pkg, modules / "@openai" / "codex")
    (modules / ".bin").mkdir()
    (modules / ".bin" / "codex").symlink_to("../@openai/codex/bin/codex.js")
    r = _install(home, modules / ".bin")
    f = _finding(r.report, "CDX053")
    assert f["severity"] == "error"
    assert f["fix"]["commands"] == ["npm install -g @openai/codex@latest"]
    launcher = subprocess.run([str(modules / ".bin" / "codex"), "--version"], text=True,
                              capture_output=True, timeout=30, stdin=subprocess.DEVNULL,
                              env=home.env())
    assert launcher.returncode != 0
    assert "Missing optional dependency @openai/codex-linux-x64" in launcher.stderr or \
        not LINUX_X64


@pytest.mark.codex
def test_npm_launcher_without_node(home):
    bin_dir = _bin("0.169.0")
    (home.bin / "node").unlink(missing_ok=True)
    r = _install(home, bin_dir)
    assert _finding(r.report, "CDX054")["severity"] == "error"


def test_codex_not_installed_skips_every_dependent_check(home):
    home.config(GOOD_PROVIDER)
    r = doctor(home, "--json", version=None)
    report = r.report
    assert r.code == 1
    install = report["checks"]["codex.install"]
    assert install["status"] == "error"
    assert install["findings"][0]["code"] == "CDX051"
    assert "npm install -g @openai/codex@latest" in install["findings"][0]["fix"]["commands"]
    dependents = ["codex.home", "codex.profile", "codex.provider", "codex.project-config",
                  "codex.env", "codex.sessions"]
    for cid in dependents:
        assert report["checks"][cid]["status"] == "skipped", cid
        assert report["checks"][cid]["reason"] == "requires codex.install, which failed"
    assert report["verdict"]["codex_reaches_antseed"] is False
    assert report["verdict"]["codes"][0] == "CDX051"
    assert report["verdict"]["headline"] == "Codex is not installed: no codex on PATH"
    human = doctor(home, version=None)
    assert "Traceback" not in human.stdout + human.stderr
    assert "$ npm install -g @openai/codex@latest" in human.stdout


def test_a_codex_that_hangs_on_version_cannot_hang_the_doctor(home):
    stuck = home.root / "stuck"
    stuck.mkdir()
    script = stuck / "codex"
    script.write_text("#!/bin/sh\nexec /bin/sleep 30\n")
    script.chmod(0o755)
    home.config(GOOD_PROVIDER)
    home.profile(GOOD_PROFILE_FILE)
    began = time.monotonic()
    r = doctor(home, "--json", env=home.env(PATH=f"{stuck}:{home.bin}"), version=None)
    assert time.monotonic() - began < 4.5
    f = _finding(r.report, "CDX055")
    assert "did not answer within 1.5 s" in f["detail"]
    assert r.report["environment"]["codex_version"] == "0.169.0"
    assert r.report["environment"]["codex_version_source"].startswith("assumed")
