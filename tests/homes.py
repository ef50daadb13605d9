"""Builds real temporary homes: real directories, real TOML files, a real env."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

GOOD_PROVIDER = """
[model_providers.antseed]
name = "AntSeed"
base_url = "http://127.0.0.1:{port}/v1"
wire_api = "responses"
"""

GOOD_PROFILE_FILE = """
model = "mock-model"
model_provider = "antseed"
"""

LEGACY_PROFILE = """
[profiles.antseed]
model = "mock-model"
model_provider = "antseed"
"""

# The guide's config, verbatim in substance.
GUIDE_CONFIG = """
# Register AntSeed as a custom model provider.
[model_providers.antseed]
name = "AntSeed"
base_url = "http://localhost:{port}/v1"
wire_api = "chat"  # or "responses"

# Bundle the provider + a default model into a profile.
[profiles.antseed]
model = "mock-model"
model_provider = "antseed"
"""


@dataclass
class Home:
    """A throwaway HOME with ~/.codex, a work dir and the env to run in it."""

    root: Path
    port: int = 8377
    extra_env: Dict[str, str] = field(default_factory=dict)

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def codex(self) -> Path:
        return self.home / ".codex"

    @property
    def work(self) -> Path:
        return self.root / "work"

    def write(self, relative: str, text: str, base: Optional[Path] = None) -> Path:
        path = (base or self.home) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip().replace("{port}", str(self.port)),
                        encoding="utf-8")
        return path

    def config(self, text: str) -> Path:
        return self.write(".codex/config.toml", text)

    def profile(self, text: str, name: str = "antseed") -> Path:
        return self.write(f".codex/{name}.config.toml", text)

    def antseed_port(self, port: int) -> None:
        self.write(".antseed/config.json", json.dumps({"buyer": {"proxyPort": port}}))

    @property
    def bin(self) -> Path:
        """A PATH directory holding only ``node``: no codex unless a test adds one."""
        return self.root / "bin"

    def env(self, **overrides: str) -> Dict[str, str]:
        env = {
            "HOME": str(self.home),
            "PATH": str(self.bin),
            "LANG": "C.UTF-8",
            "NO_COLOR": "1",
        }
        env.update(self.extra_env)
        env.update(overrides)
        return env


def make_home(port: int = 8377) -> Home:
    root = Path(tempfile.mkdtemp(prefix="antseed-doctor-test-"))
    os.chmod(root, 0o755)
    home = Home(root, port)
    home.codex.mkdir(parents=True)
    home.work.mkdir()
    home.bin.mkdir()
    node = shutil.which("node")
    if node:
        (home.bin / "node").symlink_to(node)
    return home


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def report(self) -> Dict[str, Any]:
        return json.loads(self.stdout)

    def codes(self) -> List[str]:
        return [f["code"] for c in self.report["checks"].values() for f in c["findings"]]

    def errors(self) -> List[str]:
        return [f["code"] for c in self.report["checks"].values() for f in c["findings"]
                if f["severity"] == "error"]


def doctor(home: Home, *args: str, env: Optional[Dict[str, str]] = None,
           cwd: Optional[Path] = None, timeout: float = 30,
           honour_permissions: bool = False, version: Optional[str] = "0.169.0") -> Result:
    """Run the installed ``antseed-doctor`` as a real subprocess.

    ``honour_permissions``: when the tests run as root, drop the capabilities
    that let root read any file, so a chmod 000 file is really unreadable.
    ``version``: the Codex rules to apply (``--codex-version``), since test homes
    have no codex on PATH; None lets the doctor detect it.
    """
    if version and "--codex-version" not in args:
        args = ("--codex-version", version, *args)
    exe = Path(sys.executable).parent / "antseed-doctor"
    command: List[str] = [str(exe), *args] if exe.exists() else [
        sys.executable, "-c", "from doctor.cli import main; main()", *args]
    if honour_permissions and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if not setpriv:
            raise RuntimeError("running as root needs util-linux setpriv for this test")
        command = [setpriv, "--bounding-set=-dac_override,-dac_read_search", *command]
    done = subprocess.run(command, capture_output=True, text=True, cwd=cwd or home.work,
                          env=env or home.env(), timeout=timeout, stdin=subprocess.DEVNULL)
    return Result(done.returncode, done.stdout, done.stderr)
