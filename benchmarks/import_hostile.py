"""Peak memory of an import of hostile workbooks, under the platform's default upload limits.

    .venv/bin/python benchmarks/import_hostile.py [--shape NAME ...] [--rows N] [--shared-mb MB]

Each workbook is built part by part (zipfile, no openpyxl), then checked and validated through the
import engine (the test table of ``jigai/imports/tests/tables.py``, no database) in a process of its
own, which prints what happened (refused, and why; or the row counts), the time, and the peak RSS of
that process. The target (issue 11, point 4): whatever the file, an import stays under 500 MB.

Shapes:

* ``shared-strings``: the issue's file: a ``sharedStrings.xml`` of ``--shared-mb`` MB (409 by default)
  of distinct short strings, compressed about 20:1 (inside the ratio limit), and a one-row sheet;
* ``shared-strings-at-limit``: the same, at the largest part the limits accept;
* ``rows``: ``--rows`` rows (the engine's row limit by default) of valid cells;
* ``rows-invalid``: as many rows, every cell a parse error (each becomes a reported problem);
* ``wide-strings``: rows whose text cells are distinct long inline strings;
* ``huge-cell``: one cell holding a text as large as the worksheet limit allows.

A figure in a README comes from here; it never decides whether the tests pass.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MB = 1024 * 1024
HEADERS = ["项目名称", "所属县市", "统一社会信用代码", "总投资", "设备投资", "开工时间", "是否重点项目"]
SHAPES = ["shared-strings", "shared-strings-at-limit", "rows", "rows-invalid", "wide-strings", "huge-cell"]

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="项目" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"


def _inline(text: str) -> str:
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'


def _header_row() -> str:
    return '<row r="1">' + "".join(_inline(h) for h in HEADERS) + "</row>"


def build(path: Path, shape: str, rows: int, shared_bytes: int, sheet_bytes: int = 0) -> None:
    """Write the workbook for ``shape``, streaming its parts (the builder stays small too)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8"?>')
            fh.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            written = 0
            i = 0
            if shape.startswith("shared-strings"):
                # The file compressed about 22:1 (inside the ratio limit, 19 MB on disk); at the
                # limit, distinct short strings: the most Python objects per byte of XML.
                template = (
                    "<si><t>甲{n:x}</t></si>"
                    if shape.endswith("limit")
                    else "<si><t>恩施州传统产业技术改造项目{n:x}</t></si>"
                )
                while written < shared_bytes:
                    chunk = "".join(template.format(n=n) for n in range(i, i + 10_000)).encode()
                    fh.write(chunk)
                    written += len(chunk)
                    i += 10_000
            else:
                fh.write("<si><t>恩施市</t></si><si><t>是</t></si><si><t>不是金额</t></si>".encode())
            fh.write(b"</sst>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(SHEET_HEAD.encode())
            fh.write(_header_row().encode())
            if shape.startswith("shared-strings"):
                fh.write(b'<row r="2"><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>')
            elif shape == "huge-cell":
                fh.write(b'<row r="2"><c t="inlineStr"><is><t>')
                two_letters = bytes(65 + (i & 1) for i in range(256))  # about 8:1 compressed
                for _ in range(int(sheet_bytes // MB) - 1):
                    fh.write(os.urandom(MB).translate(two_letters))
                fh.write(b"</t></is></c></row>")
            else:
                buf = []
                for n in range(2, rows + 2):
                    if shape == "rows":
                        cells = (
                            _inline(f"项目{n}") + '<c t="s"><v>0</v></c>' + _inline(credit(n))
                            + f"<c><v>{1000 + n % 5000}</v></c><c><v>{300 + n % 300}</v></c>"
                            + _inline("2018-03-15") + '<c t="s"><v>1</v></c>'
                        )  # fmt: skip
                    elif shape == "rows-invalid":
                        bad = '<c t="s"><v>2</v></c>'
                        cells = _inline(f"项目{n}") + bad * (len(HEADERS) - 1)
                    else:  # wide-strings: distinct long texts
                        cells = (
                            _inline(f"项目{n}" + "甲" * 200) + '<c t="s"><v>0</v></c>' + _inline(credit(n))
                        )
                    buf.append(f'<row r="{n}">{cells}</row>')
                    if len(buf) >= 5000:
                        fh.write("".join(buf).encode())
                        buf = []
                fh.write("".join(buf).encode())
            fh.write(SHEET_TAIL.encode())


def credit(n: int) -> str:
    from jigai.imports.tests.tables import make_code

    return make_code(n)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def measure(path: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from jigai.imports import ImportContext, validate
    from jigai.imports.safety import UploadLimits
    from jigai.imports.tests.tables import project_spec

    limits = UploadLimits.from_settings()
    base = peak_mb()
    started = time.perf_counter()
    report = validate(project_spec(), path, ImportContext(), limits=limits)
    elapsed = time.perf_counter() - started
    if report.file_errors:
        outcome = "refused: " + report.file_errors[0].reason
    else:
        c = report.counts
        outcome = f"read {c['total']} rows (new {c['new']}, rejected {c['rejected']})"
    peak = peak_mb()
    flag = "   OVER the 500 MB target" if peak >= 500 else ""
    print(f"  {outcome}\n  {elapsed:.1f} s, peak RSS {peak:.0f} MB (before the import {base:.0f} MB){flag}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shape", action="append", choices=SHAPES)
    ap.add_argument("--rows", type=int, default=None, help="rows for the row shapes (default: the row limit)")
    ap.add_argument("--shared-mb", type=float, default=409, help="sharedStrings.xml size for shared-strings")
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.measure:
        measure(Path(a.measure))
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from jigai.imports.engine import DEFAULT_MAX_ROWS
    from jigai.imports.safety import UploadLimits

    limits = UploadLimits.from_settings()
    rows = a.rows or DEFAULT_MAX_ROWS
    print(
        f"limits: upload {limits.max_bytes / MB:.0f} MB, a part {limits.max_part_bytes / MB:.0f} MB "
        f"(a worksheet {limits.max_sheet_bytes / MB:.0f} MB), all parts "
        f"{limits.max_uncompressed_bytes / MB:.0f} MB, ratio {limits.max_ratio}:1, rows {DEFAULT_MAX_ROWS}"
    )
    for shape in a.shape or SHAPES:
        shared = int(a.shared_mb * MB)
        if shape == "shared-strings-at-limit":
            shared = limits.max_part_bytes - MB
        with tempfile.TemporaryDirectory(prefix="jigai-hostile-") as tmp:
            path = Path(tmp) / f"{shape}.xlsx"
            t0 = time.perf_counter()
            build(path, shape, rows, shared, limits.max_sheet_bytes)
            parts = {i.filename: i for i in zipfile.ZipFile(path).infolist()}
            biggest = max(parts.values(), key=lambda i: i.file_size)
            print(
                f"\n{shape}: {path.stat().st_size / MB:.1f} MB on disk, largest part {biggest.filename} "
                f"{biggest.file_size / MB:.0f} MB ({biggest.file_size / max(biggest.compress_size, 1):.1f}:1), "
                f"built in {time.perf_counter() - t0:.0f} s"
            )
            subprocess.run([sys.executable, __file__, "--measure", str(path)], check=True)


if __name__ == "__main__":
    main()
