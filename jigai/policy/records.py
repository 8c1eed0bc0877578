"""Entry points for the platform (API, 政策计算器 page, CLI): raw records in, JSON-able dicts out.

Each takes a list of dicts of raw field values (English field names; strings, numbers, booleans or
None) and returns ``(results, errors)``. When ``errors`` is non-empty, ``results`` is empty: input is
validated whole, nothing is half-evaluated. An error is ``{"row", "column", "message"}`` (message in
Chinese); ``first_row`` is the row number of ``records[0]``, and ``labels`` maps field names to the
column names the user sees; ``row_numbers`` (optional) gives each record's row number instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .inputs import (
    awards_from_records,
    filing_cases_from_records,
    land_cases_from_records,
    parse_text,
    parse_year,
    projects_from_records,
)
from .measures import evaluate_filing, evaluate_land
from .params import OverrideError, ParameterSet, default_parameters, parse_override
from .rules import evaluate_awards, evaluate_projects
from .simulate import reporting_unit, simulate, unsimulated_override

Records = Sequence[Mapping[str, Any]]
Result = tuple[list[dict], list[dict]]


def evaluate_records(
    records: Records,
    *,
    params: ParameterSet | None = None,
    first_row: int = 1,
    labels: Mapping[str, str] | None = None,
    row_numbers: Sequence[int] | None = None,
    explanation: bool = True,
) -> Result:
    """3.1.1 and 3.2 for each project: two decisions per project, 3.1.1 first."""
    projects, errors = projects_from_records(
        records, first_row=first_row, labels=labels, row_numbers=row_numbers
    )
    if errors:
        return [], [e.to_dict() for e in errors]
    decisions = evaluate_projects(projects, params or default_parameters())
    return [d.to_dict(explanation=explanation) for d in decisions], []


def award_records(
    records: Records,
    *,
    params: ParameterSet | None = None,
    first_row: int = 1,
    labels: Mapping[str, str] | None = None,
    row_numbers: Sequence[int] | None = None,
    explanation: bool = True,
) -> Result:
    """3.1.2 for each ranking row (higher award only per enterprise, technology and year)."""
    awards, errors = awards_from_records(records, first_row=first_row, labels=labels, row_numbers=row_numbers)
    if errors:
        return [], [e.to_dict() for e in errors]
    decisions = evaluate_awards(awards, params or default_parameters())
    return [d.to_dict(explanation=explanation) for d in decisions], []


def land_records(
    records: Records,
    *,
    params: ParameterSet | None = None,
    first_row: int = 1,
    labels: Mapping[str, str] | None = None,
    row_numbers: Sequence[int] | None = None,
    explanation: bool = True,
) -> Result:
    """3.3 for each land case."""
    cases, errors = land_cases_from_records(
        records, first_row=first_row, labels=labels, row_numbers=row_numbers
    )
    if errors:
        return [], [e.to_dict() for e in errors]
    params = params or default_parameters()
    return [evaluate_land(c, params).to_dict(explanation=explanation) for c in cases], []


def filing_records(
    records: Records,
    *,
    params: ParameterSet | None = None,
    first_row: int = 1,
    labels: Mapping[str, str] | None = None,
    row_numbers: Sequence[int] | None = None,
    explanation: bool = True,
) -> Result:
    """3.5 for each filing case (zero-approval online filing, or the ordinary approvals listed)."""
    cases, errors = filing_cases_from_records(
        records, first_row=first_row, labels=labels, row_numbers=row_numbers
    )
    if errors:
        return [], [e.to_dict() for e in errors]
    params = params or default_parameters()
    return [evaluate_filing(c, params).to_dict(explanation=explanation) for c in cases], []


def simulate_records(
    records: Records,
    settings: Iterable[str],
    *,
    carry_forward: Iterable[int] = (),
    params: ParameterSet | None = None,
    first_row: int = 1,
    labels: Mapping[str, str] | None = None,
    row_numbers: Sequence[int] | None = None,
) -> tuple[dict | None, list[dict]]:
    """What-if over the projects: ``settings`` are ``PARAM=VALUE`` or ``PARAM@YEAR=VALUE`` strings.

    Returns ``(report, [])`` or ``(None, errors)``; a bad setting is an error with column ``set``."""
    errors: list[dict] = []
    overrides = []
    for text in settings:
        try:
            overrides.append(parse_override(text))
        except OverrideError as exc:
            errors.append({"row": None, "column": "set", "message": str(exc)})
    years = []
    for value in carry_forward:
        try:
            years.append(parse_year(value))
        except ValueError as exc:
            errors.append({"row": None, "column": "carry_forward", "message": f"延续年度：{exc}"})
    params = params or default_parameters()
    if not errors:
        try:
            params.with_overrides(overrides)
        except OverrideError as exc:
            errors.append({"row": None, "column": "set", "message": str(exc)})
        else:  # issue 13, point 8: a parameter the projects cannot feel is refused, not priced as 0.00
            errors.extend(
                {"row": None, "column": "set", "message": why}
                for o in overrides
                if (why := unsimulated_override(o, params))
            )
    projects, input_errors = projects_from_records(
        records, first_row=first_row, labels=labels, row_numbers=row_numbers
    )
    errors.extend(e.to_dict() for e in input_errors)
    for i, record in enumerate(records):  # issue 13, point 8: the nine reporting units only
        try:
            reporting_unit(parse_text(record.get("region_code") or ""))
        except ValueError as exc:
            row = row_numbers[i] if row_numbers is not None else first_row + i
            column = (labels or {}).get("region_code", "region_code")
            errors.append({"row": row, "column": column, "message": str(exc)})
    if errors:
        return None, errors
    return simulate(projects, overrides, params, carry_forward=years), []
