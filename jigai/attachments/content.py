"""What a file is, from its bytes: PDF, JPEG, PNG, .xlsx or .docx, and nothing else.

The name a user gives a file says nothing (a program renamed 发票.pdf is still a program): the type is
decided from the first bytes and, for the two Office formats, from the zip's ``[Content_Types].xml``,
which must declare the workbook's (``…spreadsheetml.sheet.main+xml``) or the document's
(``…wordprocessingml.document.main+xml``) main part, a part the zip really holds. A macro-enabled
workbook or document (its main part's type says so, or it holds a ``vbaProject.bin``) is refused, as is
an encrypted or damaged zip and one whose directory is implausible (too many entries, a
``[Content_Types].xml`` too large to be one). Nothing is decompressed but that one small part, and it
is read with defusedxml, so neither a zip bomb nor an XML entity bomb gets further than this check.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from typing import BinaryIO

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from .models import FileType

PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ZIP_MAGIC = b"PK\x03\x04"

MAX_ZIP_ENTRIES = 5000
MAX_CONTENT_TYPES_BYTES = 1024 * 1024

CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": FileType.XLSX,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": FileType.DOCX,
}
MACRO_MAIN_PARTS = (
    "application/vnd.ms-excel.sheet.macroenabled.main+xml",
    "application/vnd.ms-excel.template.macroenabled.main+xml",
    "application/vnd.ms-word.document.macroenabled.main+xml",
    "application/vnd.ms-word.template.macroenabledtemplate.main+xml",
    "application/vnd.ms-office.vbaproject",
)

ACCEPTED = "只接受 PDF、JPEG、PNG 图片、Excel（.xlsx）和 Word（.docx）文件"

ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, ValueError, EOFError, KeyError)


class ContentRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def sniff(stream: BinaryIO) -> FileType:
    """The file's type from its content; :class:`ContentRefused` (Chinese) for anything else."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if head.startswith(PDF_MAGIC):
        return FileType.PDF
    if head.startswith(JPEG_MAGIC):
        return FileType.JPEG
    if head.startswith(PNG_MAGIC):
        return FileType.PNG
    if head.startswith(ZIP_MAGIC):
        return _office(stream)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ContentRefused(
            f"该文件是旧版 Office 文件（.xls/.doc）或加密的 Office 文件，{ACCEPTED}；请另存为 .xlsx 或 .docx 后再上传"
        )
    if head.startswith(b"MZ") or head.startswith(b"\x7fELF"):
        raise ContentRefused(f"该文件是可执行程序，不能上传；{ACCEPTED}")
    raise ContentRefused(f"无法识别该文件的内容（与文件名无关）；{ACCEPTED}")


def _office(stream: BinaryIO) -> FileType:
    try:
        with zipfile.ZipFile(stream) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise ContentRefused(
                    f"压缩包内文件过多（{len(infos)} 个），不是正常的 Office 文件；{ACCEPTED}"
                )
            names = {info.filename: info for info in infos}
            if any(info.flag_bits & 0x1 for info in infos):
                raise ContentRefused(f"文件已加密，不能检查其内容；{ACCEPTED}")
            ct = names.get("[Content_Types].xml")
            if ct is None:
                raise ContentRefused(f"该文件是普通压缩包，不是 Office 文件；{ACCEPTED}")
            if ct.file_size > MAX_CONTENT_TYPES_BYTES:
                raise ContentRefused(f"文件结构异常（[Content_Types].xml 过大）；{ACCEPTED}")
            with zf.open(ct) as fh:
                xml = fh.read(MAX_CONTENT_TYPES_BYTES + 1)
            lower_names = {n.lower() for n in names}
    except ContentRefused:
        raise
    except ZIP_ERRORS as exc:
        raise ContentRefused(f"文件已损坏或不是有效的 Office 文件；{ACCEPTED}") from exc
    try:
        root = SafeET.fromstring(xml)
    except (DefusedXmlException, SafeET.ParseError, ValueError) as exc:
        raise ContentRefused(f"文件结构异常（[Content_Types].xml 无法读取）；{ACCEPTED}") from exc
    overrides = {}
    for el in root.iter(f"{CT_NS}Override"):
        part = (el.get("PartName") or "").lstrip("/")
        overrides[posixpath.normpath(part) if part else part] = (el.get("ContentType") or "").strip().lower()
    types = set(overrides.values())
    if any(t in types for t in MACRO_MAIN_PARTS) or any(n.endswith("vbaproject.bin") for n in lower_names):
        raise ContentRefused(f"文件含宏（VBA），不能上传；请另存为不含宏的 .xlsx 或 .docx。{ACCEPTED}")
    found = {
        MAIN_PARTS[t] for part, t in overrides.items() if t in MAIN_PARTS and part.lower() in lower_names
    }
    if len(found) == 1:
        return found.pop()
    raise ContentRefused(f"压缩包中没有 Excel 工作簿或 Word 文档的主体部分；{ACCEPTED}")
