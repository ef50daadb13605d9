"""Safe repair of the AntSeed pin state (used by ``--fix``)."""

from __future__ import annotations

import re
from typing import List

from doctor.context import Context
from doctor.plugin import FileChange, Fixer

from .settings import data_dir

_PIN_0X = re.compile(r'("pinnedPeerId"\s*:\s*")0[xX]([0-9a-fA-F]{40})(")')


def fix_pin_prefix(ctx: Context) -> List[FileChange]:
    """Strip the ``0x`` the proxy never matches; the running proxy re-reads the file."""
    path = data_dir(ctx) / "buyer.state.json"
    try:
        before = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    after = _PIN_0X.sub(lambda m: m.group(1) + m.group(2).lower() + m.group(3), before)
    return [] if after == before else [FileChange(path, before, after)]


FIXERS = [Fixer("antseed.pin-prefix", "Re-pin the peer without its 0x prefix", ("ANT012",),
                fix_pin_prefix, ("antseed.proxy", "antseed.peer"))]
