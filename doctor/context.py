"""The shared, read-only view of the machine that every check receives.

Expensive facts (parsed files, detected versions) are computed lazily, once,
even when several checks ask for them at the same time from different threads.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Dict, Mapping, Optional, TypeVar

T = TypeVar("T")


class Context:
    """Environment, home, cwd, options and a memo of derived facts."""

    def __init__(
        self,
        env: Optional[Mapping[str, str]] = None,
        home: Optional[Path] = None,
        cwd: Optional[Path] = None,
        options: Optional[Mapping[str, Any]] = None,
        deadline: Optional[float] = None,
    ) -> None:
        self.env: Mapping[str, str] = MappingProxyType(dict(os.environ if env is None else env))
        self.home = Path(home) if home is not None else _home_from(self.env)
        self.cwd = Path(cwd) if cwd is not None else Path.cwd()
        self.options: Mapping[str, Any] = MappingProxyType(dict(options or {}))
        self.deadline = deadline if deadline is not None else time.monotonic() + 3.0
        self._memo: Dict[Callable[..., Any], Any] = {}
        self._locks: Dict[Callable[..., Any], threading.Lock] = {}
        self._guard = threading.Lock()
        self._secrets: set = set()

    def option(self, name: str, default: Any = None) -> Any:
        value = self.options.get(name)
        return default if value is None else value

    def time_left(self, cap: Optional[float] = None) -> float:
        """Seconds until the run's deadline (never negative), optionally capped."""
        left = max(0.0, self.deadline - time.monotonic())
        return min(left, cap) if cap is not None else left

    def memo(self, compute: Callable[[Context], T]) -> T:
        """Return ``compute(self)``, computing it at most once per context."""
        with self._guard:
            if compute in self._memo:
                return self._memo[compute]
            lock = self._locks.setdefault(compute, threading.Lock())
        with lock:
            with self._guard:
                if compute in self._memo:
                    return self._memo[compute]
            value = compute(self)
            with self._guard:
                self._memo[compute] = value
            return value

    def mark_secret(self, value: Any) -> None:
        """Tell the renderers that this exact value must never be printed."""
        if isinstance(value, str) and value.strip():
            with self._guard:
                self._secrets.add(value)

    @property
    def secrets(self) -> frozenset:
        with self._guard:
            return frozenset(self._secrets)


def _home_from(env: Mapping[str, str]) -> Path:
    home = env.get("HOME") or env.get("USERPROFILE")
    return Path(home) if home else Path.home()
