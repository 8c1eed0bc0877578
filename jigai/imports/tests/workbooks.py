"""Build spreadsheets in tests: messy workbooks, CSV files and hand-made zips."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook


def xlsx(
    rows: Iterable[Sequence[Any]],
    *,
    merges: Sequence[str] = (),
    title: str = "项目表",
    extra_sheets: dict[str, list[list[Any]]] | None = None,
    hidden: Sequence[str] = (),
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    for ref in merges:
        ws.merge_cells(ref)
    for name, sheet_rows in (extra_sheets or {}).items():
        other = wb.create_sheet(name)
        for row in sheet_rows:
            other.append(list(row))
        if name in hidden:
            other.sheet_state = "hidden"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Iterable[Sequence[Any]], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode(encoding)


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="{main}"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "{extra}</Types>"
)
MAIN_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MAIN_XLSM = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>项目名称</t></is></c><c r="B1" t="inlineStr"><is><t>所属县市</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>{cell}</t></is></c><c r="B2" t="inlineStr"><is><t>恩施市</t></is></c></row>'
    "</sheetData></worksheet>"
)


def handmade_xlsx(
    *,
    doctype: str = "",
    cell: str = "项目甲",
    main: str = MAIN_XLSX,
    extra_types: str = "",
    extra_parts: dict[str, bytes] | None = None,
) -> bytes:
    """A minimal workbook written part by part, so that tests can put anything in its XML."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=main, extra=extra_types))
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", SHEET.format(doctype=doctype, cell=cell))
        for name, data in (extra_parts or {}).items():
            z.writestr(name, data)
    return buffer.getvalue()


BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
    '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
    '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
    '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
    '<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
    '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>'
)
XXE = '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def zip_bomb(uncompressed: int = 1 << 30, name: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A real workbook-shaped zip whose sheet inflates to ``uncompressed`` bytes of zeros (1 GB by
    default) while the file stays about 1 MB and is built in well under a second.

    Deflate output after a full flush does not depend on earlier input, so the compressed form of
    1 MB of zeros is computed once and repeated; the CRC is computed over the zeros chunk by chunk.
    """
    chunk = 1 << 20
    assert uncompressed % chunk == 0
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(b"\0" * chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeat = compressor.compress(b"\0" * chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush(zlib.Z_FINISH)
    count = uncompressed // chunk
    data = first + repeat * (count - 1) + tail
    zeros = b"\0" * chunk
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(zeros, crc)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=MAIN_XLSX, extra=""))
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
    head = buffer.getvalue()
    # Append one more entry by hand: zipfile cannot write pre-compressed data.
    cd_start = _central_directory_offset(head)
    body, central = head[:cd_start], head[cd_start : head.rfind(b"PK\x05\x06")]
    entries = head[head.rfind(b"PK\x05\x06") + 8 : head.rfind(b"PK\x05\x06") + 10]
    (n_entries,) = struct.unpack("<H", entries)
    raw_name = name.encode()
    offset = len(body)
    zip64_extra = struct.pack("<HHQQ", 1, 16, uncompressed, len(data))
    local = (
        struct.pack(
            "<4sHHHHHIIIHH",
            b"PK\x03\x04",
            45,
            0,
            8,
            0,
            0,
            crc,
            0xFFFFFFFF,
            0xFFFFFFFF,
            len(raw_name),
            len(zip64_extra),
        )
        + raw_name
        + zip64_extra
    )
    cd_extra = struct.pack("<HHQQ", 1, 16, uncompressed, len(data))
    cd_entry = (
        struct.pack(
            "<4sHHHHHHIIIHHHHHII",
            b"PK\x01\x02",
            45,
            45,
            0,
            8,
            0,
            0,
            crc,
            0xFFFFFFFF,
            0xFFFFFFFF,
            len(raw_name),
            len(cd_extra),
            0,
            0,
            0,
            0,
            offset,
        )
        + raw_name
        + cd_extra
    )
    body = body + local + data
    central = central + cd_entry
    eocd = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, n_entries + 1, n_entries + 1, len(central), len(body), 0
    )
    return body + central + eocd


def _central_directory_offset(data: bytes) -> int:
    eocd = data.rfind(b"PK\x05\x06")
    (offset,) = struct.unpack("<I", data[eocd + 16 : eocd + 20])
    return offset
