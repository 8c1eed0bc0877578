"""Column mappings: the user says which field an unrecognised header is, or that it is to be ignored.

A mapping is ``{normalised header: column key}``, ``IGNORE`` as the key ignoring the column. It is given
with the import (``ImportContext.mapping``): the preview page builds it from the user's choices and keeps
it for the unit and table (the app that owns the pages stores it); the CLI takes ``--map 'header=field'``.
A mapped header is read as that column before any name or variant, so a mapping also settles a header
the engine would read differently.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .parsers import normalize_header
from .spec import TableSpec

IGNORE = "-"
#: Words a user may write for "ignore this column" (``--map '备注=忽略'``).
IGNORE_WORDS = ("-", "忽略", "ignore", "不导入")


def field_for(spec: TableSpec, text: str) -> str | None:
    """The column key a user's field name means: a column key, its label or one of its headers;
    ``IGNORE`` for an ignore word; None when it names no column of the table."""
    t = normalize_header(text)
    if not t:
        return None
    if t in {normalize_header(w) for w in IGNORE_WORDS}:
        return IGNORE
    for column in spec.columns:
        if t == normalize_header(column.key) or t == normalize_header(column.label) or t in column.names():
            return column.key
    return None


def clean_mapping(spec: TableSpec, mapping: Mapping[str, str]) -> dict[str, str]:
    """A stored or submitted mapping with its headers normalised and only the keys the table still has
    (a column removed since is dropped, never guessed)."""
    keys = {c.key for c in spec.columns} | {IGNORE}
    out: dict[str, str] = {}
    for header, key in mapping.items():
        h = normalize_header(header)
        if h and key in keys:
            out[h] = key
    return out


def parse_map_options(spec: TableSpec, items: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """``--map '表头=字段'`` values → (mapping, problems in Chinese). 字段 is a column key, its Chinese
    name, or 忽略 / - to ignore the column."""
    mapping: dict[str, str] = {}
    problems: list[str] = []
    choices = "、".join(f"{c.key}（{c.label}）" for c in spec.columns)
    for item in items:
        header, sep, field = item.rpartition("=")
        if not sep or not header.strip():
            problems.append(f"--map “{item}”应为 表头=字段，如 --map '企业全称=name'")
            continue
        key = field_for(spec, field)
        if key is None:
            problems.append(
                f"--map “{item}”：“{field.strip()}”不是“{spec.title}”的字段；可选：{choices}，或 忽略"
            )
            continue
        mapping[normalize_header(header)] = key
    return mapping, problems
