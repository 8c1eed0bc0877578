"""Documents that leave the platform: GB/T 9704-2012 Word documents and .xlsx/.csv exports.

Django-free (except :mod:`jigai.documents.http`), so the CLI, views and batch jobs share it.
"""

from .formatting import format_date_cn, format_pct, format_wan, months_to, wan_to_yuan, yuan_to_wan
from .official import DocumentError, DocumentNumber, OfficialDocument

__all__ = [
    "DocumentError",
    "DocumentNumber",
    "OfficialDocument",
    "format_date_cn",
    "format_pct",
    "format_wan",
    "months_to",
    "wan_to_yuan",
    "yuan_to_wan",
]
