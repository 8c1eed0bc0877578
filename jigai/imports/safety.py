"""Checks an upload before any parser sees it (docs/security.md, "Input and files").

Order matters: the size is checked before the file is read; the type is decided from its bytes, not
its name; a workbook's zip directory is checked (entry count, total and per-entry uncompressed size,
compression ratio, encryption, macros) before openpyxl opens it; and each XML part's prolog is
scanned for a DOCTYPE so that an entity bomb or XXE is refused without being parsed. openpyxl itself
runs with defusedxml as a second line (``openpyxl.DEFUSEDXML``).

Python's zipfile stops decompressing an entry at the size written in the zip directory (and then
fails its CRC check), so a directory that lies about sizes cannot make a reader produce more than
the limits checked here.
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO
from xml.parsers import expat

import openpyxl
from django.utils.translation import gettext_noop

from jigai.core.said import Said, say

__all__ = [
    "ZIP_ERRORS",
    "CheckedUpload",
    "UploadLimits",
    "UploadRefused",
    "check_upload",
    "require_defusedxml",
]

MB = 1024 * 1024
# What reading a damaged or hostile zip can raise.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    OSError,
    ValueError,
    EOFError,
    NotImplementedError,
    KeyError,
    RuntimeError,  # e.g. "File is encrypted"
)
DEFAULT_MAX_BYTES = 20 * MB

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
SAVE_AS_XLSX = gettext_noop("请将文件另存为 .xlsx 格式后再导入")
UNSAFE_XML = gettext_noop("工作簿含有不安全的 XML 内容（DOCTYPE/实体声明），已拒绝")

MACRO_CONTENT_TYPES = (
    "application/vnd.ms-excel.sheet.macroenabled",
    "application/vnd.ms-excel.template.macroenabled",
    "application/vnd.ms-excel.addin.macroenabled",
    "application/vnd.ms-office.vbaproject",
    "application/vnd.ms-excel.macrosheet",
    "application/vnd.ms-excel.intlmacrosheet",
    "application/vnd.ms-office.activex",
)
_MACRO_PART = re.compile(r"(^|/)(vbaproject\.bin|vbadata\.xml)$|(^|/)(macrosheets|activex)/", re.IGNORECASE)
_XML_PROLOG_SCAN = 64 * 1024


class UploadRefused(Exception):
    """The file is refused before its content is read as data; ``message`` is said in the active
    language (``jigai.core.said``), so a page that keeps it can say it again in its own."""

    def __init__(self, message: str, code: str = "refused"):
        super().__init__(message)
        self.message = message
        self.code = code


def require_defusedxml() -> None:
    """openpyxl must parse XML through defusedxml (entity bombs, XXE)."""
    if not openpyxl.DEFUSEDXML:
        raise RuntimeError("openpyxl is not using defusedxml: install defusedxml before reading uploads")


require_defusedxml()


def _setting(name: str, default: int) -> int:
    try:
        from django.conf import settings

        if settings.configured:
            return int(getattr(settings, name, default))
    except Exception:  # noqa: S110 - settings that cannot be read mean "use the default"
        pass
    return default


# What an import keeps in memory grows with the inflated XML, not with the upload: a 19 MB file whose
# sharedStrings.xml inflated to 409 MB (21.7:1, inside the ratio limit) grew a worker to 1.7 GB. Each
# part is therefore bounded by what the reader may hold of it (issue 11, point 4; the figures come from
# benchmarks/import_hostile.py): the shared strings, the workbook and the styles are held whole as Python
# objects (up to about 3.5 bytes of memory per byte of XML for short strings), so they get the smaller
# part limit; a worksheet is streamed and keeps only the rows' known columns, so it gets the larger one.
DEFAULT_MAX_PART_BYTES = 32 * MB
DEFAULT_MAX_SHEET_BYTES = 100 * MB
DEFAULT_MAX_UNCOMPRESSED_BYTES = 160 * MB


@dataclass(frozen=True)
class UploadLimits:
    """Limits for one upload, each from a setting (docs/operator-guide.md, “上传与请求大小限制”):
    ``max_bytes`` ``JIGAI_UPLOAD_MAX_BYTES``, ``max_part_bytes`` ``JIGAI_UPLOAD_MAX_PART_BYTES`` (any part
    but a worksheet, uncompressed), ``max_sheet_bytes`` ``JIGAI_UPLOAD_MAX_SHEET_BYTES`` (a worksheet),
    ``max_uncompressed_bytes`` ``JIGAI_UPLOAD_MAX_UNCOMPRESSED_BYTES`` (all parts together)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_uncompressed_bytes: int = DEFAULT_MAX_UNCOMPRESSED_BYTES
    max_entries: int = 2000
    max_ratio: int = 200  # uncompressed / compressed, per entry
    ratio_floor_bytes: int = 4 * MB  # entries smaller than this are not ratio-checked
    max_part_bytes: int = DEFAULT_MAX_PART_BYTES
    max_sheet_bytes: int = DEFAULT_MAX_SHEET_BYTES

    @classmethod
    def from_settings(cls, **overrides: Any) -> UploadLimits:
        values = {
            "max_bytes": _setting("JIGAI_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES),
            "max_uncompressed_bytes": _setting(
                "JIGAI_UPLOAD_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES
            ),
            "max_entries": _setting("JIGAI_UPLOAD_MAX_ZIP_ENTRIES", 2000),
            "max_ratio": _setting("JIGAI_UPLOAD_MAX_ZIP_RATIO", 200),
            "max_part_bytes": _setting("JIGAI_UPLOAD_MAX_PART_BYTES", DEFAULT_MAX_PART_BYTES),
            "max_sheet_bytes": _setting("JIGAI_UPLOAD_MAX_SHEET_BYTES", DEFAULT_MAX_SHEET_BYTES),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed the checks: its kind ("xlsx" or "csv"), bytes, name and SHA-256."""

    kind: str
    data: bytes
    filename: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def source(self) -> str:
        """How an audit record names this file: 'name (sha256:…)'."""
        return f"{self.filename} (sha256:{self.sha256[:16]})"


def _save_as() -> Said:
    return say(SAVE_AS_XLSX)


def _human(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n / 1024:.0f} KB"


def _too_big(limit: int) -> UploadRefused:
    return UploadRefused(
        say("文件超过大小上限 %(limit)s，请拆分后分批导入", limit=_human(limit)), "too_large"
    )


def _read_limited(file: Any, limit: int) -> tuple[bytes, str]:
    """Read at most ``limit`` bytes, refusing larger files (from their declared size when known)."""
    if isinstance(file, (bytes, bytearray, memoryview)):
        data = bytes(file)
        if len(data) > limit:
            raise _too_big(limit)
        return data, ""
    if isinstance(file, (str, os.PathLike)):
        path = Path(file)
        if path.stat().st_size > limit:
            raise _too_big(limit)
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:
            raise _too_big(limit)
        return data, path.name
    name = os.path.basename(str(getattr(file, "name", "") or ""))
    size = getattr(file, "size", None)  # Django UploadedFile
    if isinstance(size, int) and size > limit:
        raise _too_big(limit)
    stream: BinaryIO = file
    if hasattr(stream, "seek") and hasattr(stream, "tell"):
        try:
            here = stream.tell()
            stream.seek(0, io.SEEK_END)
            end = stream.tell()
            stream.seek(here)
            if end - here > limit:
                raise _too_big(limit)
        except (OSError, ValueError):
            pass
    data = stream.read(limit + 1)
    if isinstance(data, str):
        raise TypeError("open the upload in binary mode")
    if len(data) > limit:
        raise _too_big(limit)
    return data, name


def check_upload(
    file: Any,
    *,
    filename: str | None = None,
    limits: UploadLimits | None = None,
    max_bytes: int | None = None,
) -> CheckedUpload:
    """Check an upload (bytes, a path, or a binary file object such as Django's UploadedFile).

    Returns a :class:`CheckedUpload`; raises :class:`UploadRefused` with a Chinese message.
    """
    require_defusedxml()
    limits = limits or UploadLimits.from_settings()
    if max_bytes is not None:
        limits = UploadLimits(**{**limits.__dict__, "max_bytes": max_bytes})
    data, found_name = _read_limited(file, limits.max_bytes)
    name = filename or found_name or "upload"
    lower = name.lower()
    if not data:
        raise UploadRefused(say("文件是空的"), "empty")
    digest = hashlib.sha256(data).hexdigest()

    if data.startswith(OLE2_MAGIC):
        # .xls (BIFF) and password-protected .xlsx both live in an OLE2 compound file.
        raise UploadRefused(
            say("不支持 .xls（旧版 Excel）或加密的工作簿。%(hint)s（如有密码请先取消）", hint=_save_as()),
            "xls",
        )
    if data.startswith(ZIP_MAGICS):
        if lower.endswith((".xlsm", ".xltm", ".xlam")):
            raise UploadRefused(
                say("不接受含宏的工作簿（%(suffix)s）。%(hint)s", suffix=Path(name).suffix, hint=_save_as()),
                "macro",
            )
        _check_zip(data, limits)
        return CheckedUpload("xlsx", data, name, digest)
    if lower.endswith((".xls", ".xlsm", ".xlsb", ".et", ".ods", ".numbers")):
        raise UploadRefused(
            say("文件格式不受支持（%(suffix)s）。%(hint)s", suffix=Path(name).suffix, hint=_save_as()),
            "unsupported",
        )
    if lower.endswith((".xlsx", ".xltx")):
        raise UploadRefused(
            say("文件扩展名是 .xlsx，但内容不是 Excel 工作簿。%(hint)s", hint=_save_as()), "not_xlsx"
        )
    head = data[:4096]
    if head.lstrip().lower().startswith((b"<html", b"<!doctype", b"<?xml", b"<table")):
        raise UploadRefused(say("这是网页或 XML 文件，不是 Excel 工作簿。%(hint)s", hint=_save_as()), "html")
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UploadRefused(
            say("无法识别的文件格式。请上传 .xlsx 或 .csv 文件。%(hint)s", hint=_save_as()), "binary"
        )
    return CheckedUpload("csv", data, name, digest)


def _check_zip(data: bytes, limits: UploadLimits) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except ZIP_ERRORS as exc:
        raise UploadRefused(
            say("文件已损坏，无法作为 .xlsx 打开。%(hint)s", hint=_save_as()), "bad_zip"
        ) from exc
    with archive:
        if len(infos) > limits.max_entries:
            raise UploadRefused(
                say(
                    "工作簿结构异常：包含 %(n)s 个部件，超过上限 %(max)s",
                    n=len(infos),
                    max=limits.max_entries,
                ),
                "zip_entries",
            )
        total = 0
        names = set()
        for info in infos:
            names.add(info.filename)
            if info.flag_bits & 0x1:
                raise UploadRefused(say("工作簿已加密，请取消密码后再导入"), "encrypted")
            if _MACRO_PART.search(info.filename):
                raise UploadRefused(say("工作簿含有宏或控件，不能导入。%(hint)s", hint=_save_as()), "macro")
            total += info.file_size
            if total > limits.max_uncompressed_bytes:
                raise UploadRefused(
                    say(
                        "工作簿解压后超过 %(limit)s，疑似压缩炸弹，已拒绝",
                        limit=_human(limits.max_uncompressed_bytes),
                    ),
                    "zip_bomb",
                )
            if info.file_size >= limits.ratio_floor_bytes:
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > limits.max_ratio:
                    raise UploadRefused(
                        say(
                            "工作簿部件 %(part)s 压缩比异常（%(ratio)s:1），疑似压缩炸弹，已拒绝",
                            part=info.filename,
                            ratio=f"{ratio:.0f}",
                        ),
                        "zip_bomb",
                    )
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise UploadRefused(
                say("压缩包不是 Excel 工作簿（缺少工作簿部件）。%(hint)s", hint=_save_as()), "not_xlsx"
            )
        _check_part_sizes(archive, infos, limits)
        for info in infos:
            lower = info.filename.lower()
            if lower.endswith((".xml", ".rels", ".vml")):
                prolog = _prolog(archive, info)
                if "<!doctype" in prolog or "<!entity" in prolog:
                    raise UploadRefused(say(UNSAFE_XML), "xml_entities")
        content_types = _read_capped(archive, "[Content_Types].xml", 1 * MB).lower()
        if any(t in content_types for t in MACRO_CONTENT_TYPES):
            raise UploadRefused(say("工作簿含有宏，不能导入。%(hint)s", hint=_save_as()), "macro")


def _refuse_declarations(*_args: Any) -> None:
    raise UploadRefused(say(UNSAFE_XML), "xml_entities")


def _worksheets_only(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], cap: int) -> set[str]:
    """The parts that relationships name as worksheets and as nothing else. The reader (xlsx.py) finds
    the parts it reads, shared strings included, by these relationships whatever their names; they are
    read here the same way (expat, no DTD, the element's local name, the attributes Type/Target)."""
    sheets: set[str] = set()
    others: set[str] = set()
    for info in infos:
        if not info.filename.endswith(".rels") or info.file_size > cap:  # an oversized one is refused
            continue
        source_folder = posixpath.dirname(posixpath.dirname(info.filename))  # xl/_rels/x.rels → xl

        def start(name: str, attrs: dict[str, str], folder: str = source_folder) -> None:
            if name.rpartition(":")[2] != "Relationship" or attrs.get("TargetMode") == "External":
                return
            target = attrs.get("Target", "")
            path = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            (sheets if attrs.get("Type", "").endswith("/worksheet") else others).add(path)

        parser = expat.ParserCreate()
        parser.StartDoctypeDeclHandler = _refuse_declarations
        parser.EntityDeclHandler = _refuse_declarations
        parser.ExternalEntityRefHandler = _refuse_declarations
        parser.StartElementHandler = start
        try:
            with archive.open(info) as fh:
                parser.Parse(fh.read(cap), True)
        except (expat.ExpatError, *ZIP_ERRORS) as exc:
            raise UploadRefused(
                say(
                    "工作簿部件 %(part)s 已损坏，无法作为 .xlsx 打开。%(hint)s",
                    part=info.filename,
                    hint=_save_as(),
                ),
                "bad_zip",
            ) from exc
    return sheets - others


def _check_part_sizes(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: UploadLimits) -> None:
    """Each part no larger than the reader may hold of it (see DEFAULT_MAX_PART_BYTES)."""
    sheets = _worksheets_only(archive, infos, limits.max_part_bytes)
    for info in infos:
        is_sheet = info.filename in sheets
        limit = limits.max_sheet_bytes if is_sheet else limits.max_part_bytes
        if info.file_size > limit:
            figures = {"part": info.filename, "size": _human(info.file_size), "limit": _human(limit)}
            raise UploadRefused(
                say(
                    "工作簿工作表 %(part)s 解压后为 %(size)s，超过单个工作表的上限 %(limit)s，已拒绝。"
                    "如确为正常数据，请拆分为多个文件分批导入",
                    **figures,
                )
                if is_sheet
                else say(
                    "工作簿部件 %(part)s 解压后为 %(size)s，超过单个部件的上限 %(limit)s，已拒绝。"
                    "如确为正常数据，请拆分为多个文件分批导入",
                    **figures,
                ),
                "part_too_large",
            )


def _read_capped(archive: zipfile.ZipFile, name: str, cap: int) -> str:
    try:
        with archive.open(name) as fh:
            raw = fh.read(cap)
    except ZIP_ERRORS as exc:
        raise UploadRefused(say("工作簿部件 %(part)s 已损坏", part=name), "bad_zip") from exc
    return _decode_xml_bytes(raw)


def _prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    """The text before an XML part's root element (lower-cased), read from at most 64 KB."""
    try:
        with archive.open(info) as fh:
            raw = fh.read(_XML_PROLOG_SCAN)
    except ZIP_ERRORS as exc:
        raise UploadRefused(say("工作簿部件 %(part)s 已损坏", part=info.filename), "bad_zip") from exc
    text = _decode_xml_bytes(raw).lower()
    root = re.search(r"<[a-z_]", text)
    if root is None:
        if len(raw) >= _XML_PROLOG_SCAN or "<!" in text:
            # A legitimate part starts its root element within a few hundred bytes.
            raise UploadRefused(say("工作簿部件 %(part)s 结构异常，已拒绝", part=info.filename), "xml_prolog")
        return text
    return text[: root.start()]


def _decode_xml_bytes(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 1 and b"\x00" in raw[:4]):
        return raw.decode("utf-16", errors="replace")
    return raw.decode("utf-8", errors="replace")
