"""What a plugin can contribute: checks, CLI options, a verdict, views, inventory.

Each contribution is a plain value declared at module level; discovery
collects them from the modules named by entry points, so there is no global
mutable registry to reset between tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Optional, Sequence, Tuple

if TYPE_CHECKING:  # pragma: no cover
    from .context import Context
    from .finding import Finding
    from .runner import CheckResult

CheckFunc = Callable[["Context"], Iterable["Finding"]]


@dataclass(frozen=True)
class Check:
    """A named, independent diagnosis.

    ``requires`` names checks that must have passed (ok/info/warning) first;
    otherwise this check is skipped with a reason. ``codes`` documents every
    finding code the check may emit (shown by ``--list-checks`` and used to
    select checks by code). ``order`` places the check in the report (lower
    first, then registration order), whatever order plugins load in.
    """

    id: str
    title: str
    func: CheckFunc
    requires: Tuple[str, ...] = ()
    network: bool = False
    timeout: float = 2.0
    codes: Mapping[str, str] = field(default_factory=dict)
    order: float = 100.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "requires", tuple(self.requires))
        object.__setattr__(self, "codes", dict(self.codes))


def check(
    id: str,
    title: str,
    *,
    requires: Sequence[str] = (),
    network: bool = False,
    timeout: float = 2.0,
    codes: Optional[Mapping[str, str]] = None,
    order: float = 100.0,
) -> Callable[[CheckFunc], Check]:
    """Decorator turning a function ``(ctx) -> findings`` into a :class:`Check`."""

    def wrap(func: CheckFunc) -> Check:
        return Check(id, title, func, tuple(requires), network, timeout, dict(codes or {}),
                     order)

    return wrap


@dataclass(frozen=True)
class Option:
    """A command-line option a plugin needs; its value reaches checks via ``ctx.option``."""

    name: str
    flags: Tuple[str, ...]
    help: str
    default: Any = None
    is_flag: bool = False
    metavar: Optional[str] = None
    validate: Optional[Callable[[Any], Optional[str]]] = None  # returns an error message


@dataclass(frozen=True)
class VerdictResult:
    """The one answer users actually want, with the codes that decided it."""

    value: bool
    because: str
    codes: Tuple[str, ...] = ()
    headline: str = ""


@dataclass(frozen=True)
class Verdict:
    """Computes a yes/no answer from the context and all check results."""

    key: str
    func: Callable[[Context, Mapping[str, CheckResult]], Optional[VerdictResult]]


@dataclass(frozen=True)
class Row:
    """One line of a view: a value and where it came from."""

    label: str
    value: str
    source: str = ""
    note: str = ""


@dataclass(frozen=True)
class View:
    """A read-only explanation a plugin can print (e.g. the effective configuration)."""

    id: str
    title: str
    func: Callable[[Context], Sequence[Row]]


@dataclass(frozen=True)
class Inventory:
    """Contributes facts to the report's ``environment`` block."""

    func: Callable[[Context], Mapping[str, Any]]


@dataclass(frozen=True)
class Attachment:
    """Files a support report should show (redacted): ``(label, path)`` pairs."""

    func: Callable[[Context], Sequence[Tuple[str, Any]]]


@dataclass(frozen=True)
class FileChange:
    """New content for one file (``before`` None: the file is created)."""

    path: Any  # pathlib.Path
    before: Optional[str]
    after: str


@dataclass(frozen=True)
class Fixer:
    """Repairs what findings with ``codes`` report, by rewriting files.

    ``func`` reads the files afresh (not through the context's memo: an
    earlier fix may have changed them) and returns the changes, or none when
    there is nothing left to do, so fixing twice changes nothing.
    ``rerun`` names the checks to run again afterwards.
    """

    id: str
    title: str
    codes: Tuple[str, ...]
    func: Callable[[Context], Sequence[FileChange]]
    rerun: Tuple[str, ...] = ()


CONTRIBUTION_TYPES = (Check, Option, Verdict, View, Inventory, Attachment, Fixer)
