"""How a table is described to the import engine: its columns and its adapter.

A table plugs in by building a :class:`TableSpec` with its :class:`Column` list and an adapter
object implementing :class:`TableAdapter` (four methods). The engine does the rest: reading,
header matching, cell parsing, duplicate keys, comparison with what is stored, the report, and the
transaction around ``apply``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from .parsers import Boolean, Choice, Money, normalize_header
from .report import ImportReport, Issue, RowOutcome

__all__ = [
    "Column",
    "ImportContext",
    "ImportReport",
    "Issue",
    "Row",
    "RowError",
    "RowOutcome",
    "TableAdapter",
    "TableSpec",
]


@dataclass(frozen=True)
class Column:
    """One column of a table.

    ``key`` is the field name the adapter sees; ``label`` the Chinese header of our template (without
    unit); ``variants`` other headers clerks use for it. For a money column (``parser`` is a
    :class:`~jigai.imports.parsers.Money`) the unit comes from the header text (``设备投资（元）``), else
    from a "单位：万元" line above the header, else from the parser's unit (万元 by default); the
    template header is ``label（unit）``. ``unit`` is shown in the 说明 sheet for non-money columns.
    """

    key: str
    label: str
    parser: Callable[[Any], Any]
    required: bool = False
    variants: tuple[str, ...] = ()
    help: str = ""
    example: Any = None
    unit: str = ""
    width: int | None = None
    # False: read from clerks' own workbooks, but not written in our template and exports (a second
    # way of giving what another column gives, such as 所属行业 beside 行业代码).
    template: bool = True

    @property
    def is_money(self) -> bool:
        return isinstance(self.parser, Money)

    @property
    def display_unit(self) -> str:
        return self.parser.unit if isinstance(self.parser, Money) else self.unit

    @property
    def header(self) -> str:
        """The header our template and exports write."""
        unit = self.display_unit
        return f"{self.label}（{unit}）" if unit else self.label

    def names(self) -> list[str]:
        """Normalised header names that identify this column (label, variants and easy forms)."""
        out: list[str] = []
        for name in (self.label, *self.variants):
            n = normalize_header(name)
            out.append(n)
            if self.is_money:
                out.append(n[:-1] if n.endswith("额") else n + "额")
                out.append(n[:-2] if n.endswith("金额") else n + "金额")
        return [n for n in dict.fromkeys(out) if n]

    def to_cell(self, value: Any) -> Any:
        to_cell = getattr(self.parser, "to_cell", None)
        return to_cell(value) if to_cell else value

    def describe(self) -> str:
        describe = getattr(self.parser, "describe", None)
        return describe() if describe else ""

    @property
    def dropdown(self) -> list[str] | None:
        """Values for a drop-down list in the template, if the column has a fixed set."""
        if isinstance(self.parser, Boolean):
            return self.parser.options()
        if isinstance(self.parser, Choice):
            return self.parser.option_labels()
        return None


@dataclass
class ImportContext:
    """Who imports and with what rights; the engine fills in ``source`` before ``apply``.

    ``unit`` is the reporting unit a county clerk is limited to (None: all units). ``extra`` is for
    the table's own needs (the request, the period of a monthly report, …). ``mapping`` says which
    column an unrecognised header is (``{normalised header: column key}``, ``mapping.IGNORE`` to ignore
    it): the user's choice on the preview page or ``--map``, see ``mapping.py``.
    """

    user: Any = None
    unit: str | None = None
    source: str = ""
    filename: str = ""
    sha256: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    mapping: dict[str, str] = field(default_factory=dict)
    # Told how far run() got, for a progress bar: ("read", rows read so far) every PROGRESS_EVERY rows,
    # then ("write", rows) once before the write transaction begins. None: not told.
    progress: Callable[[str, int], None] | None = None


@dataclass(frozen=True)
class RowError:
    """A problem the adapter finds in a row (``column`` is a column key, or None for the whole row)."""

    reason: str
    column: str | None = None


@dataclass(eq=False, slots=True)
class Row:
    """One data row after parsing, as the adapter sees it.

    ``values`` holds the parsed values of the cells that were filled in (blank cells are absent: a
    blank never erases stored data). ``existing`` is the stored record from ``load_existing`` (None
    for a new row); ``changes`` maps column key → (stored, imported) for an update.
    """

    sheet: str
    number: int
    values: dict[str, Any]
    key: Hashable | None = None
    existing: dict[str, Any] | None = None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    cells: tuple = ()  # raw cell values, aligned with ``columns``
    columns: Sequence[Any] = ()  # the sheet's BoundColumn list (shared by its rows)
    sheet_year: int | None = None  # the year the sheet's title states (2019年技改项目计划表), if any

    def raw(self, key: str) -> Any:
        """The raw cell value of a column, as read from the file (None if absent)."""
        for bound, value in zip(self.columns, self.cells, strict=False):
            if bound.column.key == key:
                return value
        return None

    @property
    def rejected(self) -> bool:
        issues = self.issues
        return bool(issues) and any(i.severity == "error" for i in issues)

    @property
    def where(self) -> str:
        return f"工作表“{self.sheet}”第 {self.number} 行"


@runtime_checkable
class TableAdapter(Protocol):
    """What a table implements so the engine can import into it."""

    def natural_key(self, values: Mapping[str, Any]) -> Hashable | None:
        """The identity of a row (e.g. the credit code, or (credit code, project name)); None when
        the row lacks what it needs (the engine then rejects it)."""
        ...

    def load_existing(
        self, keys: Collection[Hashable], context: ImportContext
    ) -> dict[Hashable, dict[str, Any]]:
        """Stored records for these keys, in one query, as {key: {column key: value}} with values of
        the same types the parsers produce (Decimal yuan, date, bool, choice code, str).
        Called inside the write transaction by ``run``, so it may lock rows."""
        ...

    def check_row(self, row: Row, context: ImportContext) -> Iterable[RowError | str]:
        """Business checks on one parsed row (``row.existing`` is set): return the problems, if any."""
        ...

    def apply(self, new_rows: Sequence[Row], changed_rows: Sequence[Row], context: ImportContext) -> None:
        """Write: create ``new_rows``, update ``changed_rows`` (only ``row.changes`` differ), in bulk.
        Runs inside one transaction; raise to abort it. Record the audit log with
        ``context.source`` as the source."""
        ...


@dataclass
class TableSpec:
    """A table that can be imported: name (CLI), Chinese title, columns, adapter.

    ``scope_column`` names the column holding the reporting unit: when the context has a ``unit``,
    rows of another unit (in the file, or already stored under another unit) are rejected.
    ``ignore_headers`` are headers that are neither imported nor warned about (序号 …).
    ``change_reason`` (e.g. "更正原因"): an import that changes stored rows must say why; the pages ask
    for it when the preview shows updates, and the adapter finds it in ``context.extra["reason"]``.
    """

    name: str
    title: str
    columns: Sequence[Column]
    adapter: TableAdapter
    scope_column: str | None = None
    ignore_headers: tuple[str, ...] = ("序号", "序", "编号", "no", "no.", "行号")
    using: str = "default"
    sheet_title: str | None = None
    notes: tuple[str, ...] = ()
    describe_key: Callable[[Hashable], str] | None = None
    change_reason: str | None = None

    def __post_init__(self) -> None:
        keys = [c.key for c in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"duplicate column keys in {self.name}")
        if self.scope_column is not None and self.scope_column not in keys:
            raise ValueError(f"scope column {self.scope_column!r} is not a column of {self.name}")

    @property
    def template_columns(self) -> list[Column]:
        """The columns our template and exports write."""
        return [c for c in self.columns if c.template]

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)

    def key_text(self, key: Hashable) -> str:
        if self.describe_key is not None:
            return self.describe_key(key)
        if isinstance(key, tuple):
            return " / ".join(str(k) for k in key)
        return str(key)
