"""jigai.policy — the programme's incentive clauses as dated parameters and pure rules.

Pure: standard library, PyYAML and NumPy only (enforced by a test and an import-linter contract).
See README.md in this package for parameters, readings and reason codes.
"""

from .batch import BatchResult, ClauseResult, ProjectColumns, evaluate_batch, random_columns
from .dates import add_months
from .decision import (
    CLAUSE_TITLES,
    ELIGIBLE,
    INELIGIBLE,
    OUTCOMES,
    REASON_CODES,
    REVIEW,
    Decision,
    Reason,
)
from .inputs import (
    AWARD_FIELDS,
    FILING_FIELDS,
    LAND_FIELDS,
    PROJECT_FIELDS,
    Award,
    FilingCase,
    InputError,
    LandCase,
    Project,
    awards_from_records,
    filing_cases_from_records,
    land_cases_from_records,
    projects_from_records,
)
from .measures import evaluate_filing, evaluate_land, ordinary_approvals
from .money import format_yuan, parse_yuan, round_yuan
from .params import (
    Override,
    OverrideError,
    ParameterError,
    ParameterSet,
    ParameterUsed,
    default_parameters,
    load_parameters,
    parse_override,
)
from .records import award_records, evaluate_records, filing_records, land_records, simulate_records
from .rules import (
    apply_stacking,
    evaluate_award,
    evaluate_awards,
    evaluate_equipment_subsidy,
    evaluate_large_investment,
    evaluate_project,
    evaluate_projects,
)
from .simulate import simulate, simulate_text

__all__ = [
    "AWARD_FIELDS",
    "CLAUSE_TITLES",
    "ELIGIBLE",
    "FILING_FIELDS",
    "INELIGIBLE",
    "LAND_FIELDS",
    "OUTCOMES",
    "PROJECT_FIELDS",
    "REASON_CODES",
    "REVIEW",
    "Award",
    "BatchResult",
    "ClauseResult",
    "Decision",
    "FilingCase",
    "InputError",
    "LandCase",
    "Override",
    "OverrideError",
    "ParameterError",
    "ParameterSet",
    "ParameterUsed",
    "Project",
    "ProjectColumns",
    "Reason",
    "add_months",
    "apply_stacking",
    "award_records",
    "awards_from_records",
    "default_parameters",
    "evaluate_award",
    "evaluate_awards",
    "evaluate_batch",
    "evaluate_equipment_subsidy",
    "evaluate_filing",
    "evaluate_land",
    "evaluate_large_investment",
    "evaluate_project",
    "evaluate_projects",
    "evaluate_records",
    "filing_cases_from_records",
    "filing_records",
    "format_yuan",
    "land_cases_from_records",
    "land_records",
    "load_parameters",
    "ordinary_approvals",
    "parse_override",
    "parse_yuan",
    "projects_from_records",
    "random_columns",
    "round_yuan",
    "simulate",
    "simulate_records",
    "simulate_text",
]
