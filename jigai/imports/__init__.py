"""The spreadsheet import engine (issue 4, "Excel in"): one path for every table that arrives as a
spreadsheet. See README.md in this folder for how a table plugs in."""

from .engine import ALL_SHEETS, ImportWriteError, run, validate
from .parsers import Boolean, Checked, Choice, Date, Integer, Money, Noted, Option, ParseError, Text, Year
from .report import ImportReport, Issue, RowOutcome
from .safety import CheckedUpload, UploadLimits, UploadRefused, check_upload
from .spec import Column, ImportContext, Row, RowError, TableAdapter, TableSpec
from .templates import build_export, build_template

__all__ = [
    "ALL_SHEETS",
    "Boolean",
    "Checked",
    "CheckedUpload",
    "Choice",
    "Column",
    "Date",
    "ImportContext",
    "ImportReport",
    "ImportWriteError",
    "Integer",
    "Issue",
    "Money",
    "Noted",
    "Option",
    "ParseError",
    "Row",
    "RowError",
    "RowOutcome",
    "TableAdapter",
    "TableSpec",
    "Text",
    "UploadLimits",
    "UploadRefused",
    "Year",
    "build_export",
    "build_template",
    "check_upload",
    "run",
    "validate",
]
