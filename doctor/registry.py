"""Finds check plugins through entry points and indexes what they contribute.

Built-in checks and third-party checks are found the same way: every entry
point in the ``antseed_doctor.checks`` group names a module (or a single
contribution); each :mod:`doctor.plugin` value found there is registered.
A plugin that fails to import becomes a load error shown to the user, never a
traceback.
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Tuple

from .plugin import (
    CONTRIBUTION_TYPES,
    Attachment,
    Check,
    Fixer,
    Inventory,
    Option,
    Verdict,
    View,
)

ENTRY_POINT_GROUP = "antseed_doctor.checks"


@dataclass(frozen=True)
class LoadError:
    """A plugin that could not be loaded."""

    plugin: str
    reason: str


class Registry:
    """All contributions, in the order they were found."""

    def __init__(self) -> None:
        self.checks: Dict[str, Check] = {}
        self.options: List[Option] = []
        self.verdicts: List[Verdict] = []
        self.views: Dict[str, View] = {}
        self.inventories: List[Inventory] = []
        self.attachments: List[Attachment] = []
        self.fixers: Dict[str, Fixer] = {}
        self.load_errors: List[LoadError] = []

    def add(self, item: Any, origin: str = "") -> None:
        if isinstance(item, Check):
            if self.checks.get(item.id) is item:
                return  # the same object reached through two module attributes
            if item.id in self.checks:
                raise ValueError(f"check id {item.id!r} registered twice ({origin})")
            self.checks[item.id] = item
        elif isinstance(item, Option):
            if all(o.name != item.name for o in self.options):
                self.options.append(item)
        elif isinstance(item, Verdict):
            if item not in self.verdicts:
                self.verdicts.append(item)
        elif isinstance(item, View):
            self.views[item.id] = item
        elif isinstance(item, Inventory):
            if item not in self.inventories:
                self.inventories.append(item)
        elif isinstance(item, Attachment):
            if item not in self.attachments:
                self.attachments.append(item)
        elif isinstance(item, Fixer):
            self.fixers.setdefault(item.id, item)
        else:
            raise TypeError(f"{origin or item!r} is not a doctor contribution")

    def add_module(self, module: types.ModuleType) -> None:
        """Register the module's contributions: ``__all__`` order if given, else source order."""
        names = getattr(module, "__all__", None) or list(vars(module))
        for value in [getattr(module, n) for n in names if hasattr(module, n)]:
            if isinstance(value, CONTRIBUTION_TYPES):
                self.add(value, origin=module.__name__)
            elif isinstance(value, (list, tuple)) and value and all(
                isinstance(v, CONTRIBUTION_TYPES) for v in value
            ):
                for v in value:
                    self.add(v, origin=module.__name__)

    def add_loaded(self, obj: Any, origin: str) -> None:
        if isinstance(obj, types.ModuleType):
            self.add_module(obj)
        elif isinstance(obj, (list, tuple)):
            for item in obj:
                self.add(item, origin)
        else:
            self.add(obj, origin)

    @classmethod
    def from_entry_points(cls, group: str = ENTRY_POINT_GROUP) -> Registry:
        registry = cls()
        for name, load in _entry_points(group):
            try:
                registry.add_loaded(load(), origin=name)
            except Exception as exc:  # a broken plugin must not break the doctor
                registry.load_errors.append(LoadError(name, f"{type(exc).__name__}: {exc}"))
        registry.sort()
        return registry

    def sort(self) -> None:
        """Report order: each check's ``order``, then the order it was registered in."""
        ranked = sorted(enumerate(self.checks.values()), key=lambda p: (p[1].order, p[0]))
        self.checks = {c.id: c for _, c in ranked}

    def code_owner(self, code: str) -> Optional[str]:
        for check in self.checks.values():
            if code in check.codes:
                return check.id
        return None


def _entry_points(group: str) -> Iterable[Tuple[str, Any]]:
    from importlib import metadata

    if sys.version_info >= (3, 10):
        found = metadata.entry_points(group=group)
    else:  # pragma: no cover - Python 3.9 returns a dict of groups
        found = metadata.entry_points().get(group, [])
    seen = set()
    for ep in found:  # distribution order: each plugin lists its checks in order
        if (ep.name, ep.value) in seen:
            continue
        seen.add((ep.name, ep.value))
        yield ep.name, ep.load
