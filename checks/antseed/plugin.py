"""Entry point of the built-in AntSeed checks."""

from __future__ import annotations

from doctor.plugin import Option

from .funds import antseed_funds_check
from .model import antseed_model_check
from .peer import antseed_peer_check
from .proxy import antseed_proxy_check
from .stream import antseed_stream_check

OPTIONS = [
    Option("live", ("--live",),
           "Also send one tiny streamed request through the proxy (costs a fraction of a cent).",
           is_flag=True),
]

CHECKS = [antseed_proxy_check, antseed_peer_check, antseed_model_check, antseed_stream_check,
          antseed_funds_check]

__all__ = ["CHECKS", "OPTIONS"]
