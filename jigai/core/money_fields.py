"""Amounts stored exactly on both engines (docs/programme.md, reading 2: money is exact).

``MoneyField`` is yuan with 2 places in Python (a ``Decimal``, as ``DecimalField``) and in the database:

- PostgreSQL: ``numeric(16, 2)``, exact by itself.
- SQLite: integer fen in a ``bigint`` column. SQLite has no decimal type: a ``decimal`` column keeps a
  REAL (a double, 15 significant digits), so ``99999999999999.99`` came back as ``1e14`` — 17 digits,
  which Django's converter refused, and every page listing the row answered 500 — and
  ``12345678901234.56`` as ``…234.60``. Every amount the platform accepts (at most ``MAX_YUAN``, below
  10^16 fen) is an exact 64-bit integer in fen.

Sums: ``MoneySum`` instead of ``Sum``. PostgreSQL's ``sum(numeric)`` is exact and unbounded; SQLite's
``SUM`` over integers raises "integer overflow" past 2^63 fen (about 922 rows at the maximum), and its
``TOTAL`` is a double. On SQLite ``MoneySum`` runs a small aggregate in Python (exact integers of any
size) registered on each connection, and hands the total back as text.

Comparing two money columns, or a column with an amount (``filter(total_investment_yuan__gte=…)``),
works on both engines. Arithmetic in SQL that mixes a money column with a literal (``F(…) + 1``) would
be in fen on SQLite: do such arithmetic in Python on the ``Decimal`` values (nothing does it in SQL).

Why not a lower bound that keeps every amount within 15 digits: the bound would shrink what pages, the
API and imports accept today, and the sums of such amounts still leave the 15 digits a double holds.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.backends.signals import connection_created
from django.dispatch import receiver

from jigai.policy.money import EXACT, FEN

_SUM = "jigai_money_sum"


def _fen(value: Decimal) -> int:
    # Half-up to the fen, as numeric(16, 2) rounds on PostgreSQL: the two engines store the same number.
    return int(value.quantize(FEN, context=EXACT).scaleb(2, EXACT))


def _yuan_from_sqlite(value: int | str | float) -> Decimal:
    if isinstance(value, float):  # only from arithmetic in SQL (an average): its shortest exact text
        value = repr(value)
    return Decimal(value).scaleb(-2).quantize(FEN, context=EXACT)


class MoneyField(models.DecimalField):
    """Yuan with 2 places; exact on SQLite (integer fen) and PostgreSQL (numeric(16, 2))."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "jigai.core.money_fields.MoneyField", args, kwargs

    def get_internal_type(self) -> str:
        # Not "DecimalField": Django's SQLite backend would read the column through a 15-digit float
        # converter and wrap sums in CAST(… AS NUMERIC) (a double again).
        return "MoneyField"

    def db_type(self, connection) -> str:
        if connection.vendor == "sqlite":
            return "bigint"
        return connection.data_types["DecimalField"] % self.db_type_parameters(connection)

    def cast_db_type(self, connection) -> str:
        return self.db_type(connection)

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        if value is None or hasattr(value, "as_sql"):
            return value
        if connection.vendor == "sqlite":
            return _fen(Decimal(value))
        return connection.ops.adapt_decimalfield_value(value, self.max_digits, self.decimal_places)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        if connection.vendor == "sqlite":
            return _yuan_from_sqlite(value)
        return value


class MoneySum(models.Sum):
    """``Sum`` of a ``MoneyField``, exact on both engines whatever the number of rows (see the module)."""

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function=_SUM.upper(), **extra_context)


class _ExactSum:
    """SQLite aggregate: Python integers do not overflow; the total goes back as text, not a double."""

    def __init__(self) -> None:
        self.total: int | None = None

    def step(self, value) -> None:
        if value is not None:
            self.total = (self.total or 0) + int(value)

    def finalize(self) -> str | None:
        return None if self.total is None else str(self.total)


@receiver(connection_created)
def _register_exact_sum(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate(_SUM, 1, _ExactSum)


def sqlite_yuan_to_fen(*fields: tuple[str, str, str]):
    """Migration operations that turn the yuan a SQLite ``decimal`` column held into integer fen, after
    the column became a ``MoneyField``; ``fields`` are (app label, model name, field name). No-op on
    PostgreSQL, where the column stays numeric(16, 2)."""
    from django.db import migrations

    def run(factor: str):
        def convert(apps, schema_editor):
            if schema_editor.connection.vendor != "sqlite":
                return
            quote = schema_editor.quote_name
            for app_label, model_name, field_name in fields:
                meta = apps.get_model(app_label, model_name)._meta
                table, column = quote(meta.db_table), quote(meta.get_field(field_name).column)
                expr = (
                    f"CAST(ROUND({column} * 100) AS INTEGER)" if factor == "to_fen" else f"{column} / 100.0"
                )
                schema_editor.execute(f"UPDATE {table} SET {column} = {expr} WHERE {column} IS NOT NULL")  # noqa: S608

        return convert

    return migrations.RunPython(run("to_fen"), run("to_yuan"))
