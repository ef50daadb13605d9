"""Entry point of the built-in AntSeed checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from doctor.context import Context
from doctor.plugin import Attachment, Inventory, Option

from ..programs import first_line_of_version
from .fixes import FIXERS
from .funds import antseed_funds_check
from .model import antseed_model_check
from .peer import antseed_peer_check
from .proxy import antseed_proxy_check
from .settings import config_path, data_dir
from .stream import antseed_stream_check
from .target import target

OPTIONS = [
    Option("live", ("--live",),
           "Also send one tiny streamed request through the proxy (costs a fraction of a cent).",
           is_flag=True),
]

CHECKS = [antseed_proxy_check, antseed_peer_check, antseed_model_check, antseed_stream_check,
          antseed_funds_check]



def cli_version(ctx: Context) -> Optional[str]:
    return first_line_of_version(ctx, "antseed")


def _inventory(ctx: Context) -> Dict[str, Any]:
    where = ctx.memo(target)
    return {"antseed_cli_version": ctx.memo(cli_version), "antseed_data_dir": str(data_dir(ctx)),
            "antseed_proxy_target": where.root, "antseed_proxy_target_source": where.source}


def _files(ctx: Context) -> List[Tuple[str, Path]]:
    return [("AntSeed config", config_path(ctx)),
            ("AntSeed buyer state", data_dir(ctx) / "buyer.state.json")]


INVENTORY = Inventory(_inventory)
FILES = Attachment(_files)

__all__ = ["CHECKS", "FILES", "FIXERS", "INVENTORY", "OPTIONS"]
