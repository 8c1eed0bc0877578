"""Compile gettext catalogues (.po → .mo) in pure Python, so no machine needs GNU gettext to build them.

Django reads the compiled ``django.mo`` beside each ``django.po`` under ``jigai/locale``. The result is
the catalogue ``msgfmt`` would write: fuzzy and untranslated entries are left out, the header is kept
(less its POT-Creation-Date), ``msgctxt`` keys are ``context\\x04msgid`` and plural translations are
joined by NUL (no hash table: Python's and GNU's readers do without). A test compiles the committed .po
in memory and compares its catalogue with the committed .mo, so a stale .mo fails the suite.

Chinese is the source language: msgids are the Chinese strings, so zh-hans needs no catalogue.
To add or change a UI string:

1. Mark it: ``{% translate "中文" %}`` / ``{% blocktranslate %}`` in templates (``{% load i18n %}``),
   ``gettext_lazy as _`` at class level and ``gettext`` inside functions in Python.
2. Extract (needs GNU gettext, ``apt-get install gettext``), from the repository root:
   ``DJANGO_SETTINGS_MODULE=config.settings.local django-admin makemessages -l en --no-obsolete
   --ignore=.venv --ignore=var``
3. Translate the new ``msgstr ""`` entries in ``jigai/locale/en/LC_MESSAGES/django.po`` and clear any
   ``#, fuzzy`` flag after checking the suggestion.
4. Compile and commit the .po and .mo together:

    python -m jigai.core.i18n_compile            # (re)write every jigai/locale/*/LC_MESSAGES/*.mo
    python -m jigai.core.i18n_compile --check    # exit 1 if a committed .mo is out of date
"""

from __future__ import annotations

import argparse
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
MO_MAGIC = 0x950412DE


class PoSyntaxError(ValueError):
    def __init__(self, message: str, line: int, source: str = "<po>"):
        super().__init__(f"{source}:{line}: {message}")
        self.line = line


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())

    @property
    def key(self) -> str:
        """The catalogue key, as GNUTranslations looks it up."""
        base = self.msgid if self.msgid_plural is None else f"{self.msgid}\x00{self.msgid_plural}"
        return base if self.msgctxt is None else f"{self.msgctxt}\x04{base}"

    @property
    def value(self) -> str:
        return "\x00".join(self.msgstr[i] for i in sorted(self.msgstr))


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unquote(token: str, line: int, source: str) -> str:
    """A C string literal as gettext writes it: "…" with backslash escapes (\\n, \\", \\\\, octal, \\x)."""
    token = token.strip()
    if len(token) < 2 or token[0] != '"' or token[-1] != '"':
        raise PoSyntaxError(f"expected a quoted string, got {token!r}", line, source)
    body, out, i = token[1:-1], [], 0
    while i < len(body):
        ch = body[i]
        if ch == '"':
            raise PoSyntaxError("unescaped quote inside a string", line, source)
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        i += 1
        if i >= len(body):
            raise PoSyntaxError("string ends with a backslash", line, source)
        esc = body[i]
        if esc in _ESCAPES:
            out.append(_ESCAPES[esc])
            i += 1
        elif esc in "01234567":
            j = i
            while j < len(body) and j < i + 3 and body[j] in "01234567":
                j += 1
            out.append(chr(int(body[i:j], 8)))
            i = j
        elif esc == "x":
            j = i + 1
            while j < len(body) and body[j] in "0123456789abcdefABCDEF":
                j += 1
            if j == i + 1:
                raise PoSyntaxError("\\x without hex digits", line, source)
            out.append(chr(int(body[i + 1 : j], 16)))
            i = j
        else:
            raise PoSyntaxError(f"unknown escape \\{esc}", line, source)
    return "".join(out)


def parse_po(text: str, source: str = "<po>") -> list[Entry]:
    """Every entry of a .po file, header (msgid "") included, obsolete (#~) entries left out."""
    entries: list[Entry] = []
    entry: Entry | None = None
    pending_flags: set[str] = set()
    target: tuple[str, int | None] | None = None  # which string continuation lines extend
    section = "start"  # where in an entry we are: start, ctxt, id, plural, str

    def finish():
        nonlocal entry, target, section
        if entry is not None:
            if not entry.msgstr:
                raise PoSyntaxError("entry has no msgstr", entry.line, source)
            if entry.msgid_plural is None and set(entry.msgstr) != {0}:
                raise PoSyntaxError("msgstr[N] without msgid_plural", entry.line, source)
            entries.append(entry)
        entry, target, section = None, None, "start"

    def append(kind: str, index: int | None, value: str):
        assert entry is not None
        if kind == "msgstr":
            entry.msgstr[index or 0] = entry.msgstr.get(index or 0, "") + value
        else:
            setattr(entry, kind, (getattr(entry, kind) or "") + value)

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("#~"):  # obsolete: its flags go with it
                pending_flags = set()
                continue
            if section == "str":
                finish()
            if line.startswith("#,"):
                pending_flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        if line.startswith('"'):
            if target is None:
                raise PoSyntaxError("string continuation outside an entry", number, source)
            append(target[0], target[1], _unquote(line, number, source))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgctxt" or (keyword == "msgid" and section != "ctxt"):
            if section not in ("start", "str"):
                raise PoSyntaxError(f"unexpected {keyword}", number, source)
            finish()
            entry = Entry(flags=pending_flags, line=number)
            pending_flags = set()
        if entry is None:
            raise PoSyntaxError(f"unexpected {keyword!r}", number, source)
        if keyword == "msgctxt":
            entry.msgctxt, target, section = _unquote(rest, number, source), ("msgctxt", None), "ctxt"
        elif keyword == "msgid":
            entry.msgid, target, section = _unquote(rest, number, source), ("msgid", None), "id"
        elif keyword == "msgid_plural":
            if section != "id":
                raise PoSyntaxError("msgid_plural must follow msgid", number, source)
            entry.msgid_plural, target, section = (
                _unquote(rest, number, source),
                ("msgid_plural", None),
                "plural",
            )
        elif keyword == "msgstr" or keyword.startswith("msgstr["):
            if section not in ("id", "plural", "str"):
                raise PoSyntaxError("msgstr must follow msgid", number, source)
            index = None
            if keyword != "msgstr":
                if not keyword.endswith("]") or not keyword[7:-1].isdigit():
                    raise PoSyntaxError(f"bad keyword {keyword!r}", number, source)
                index = int(keyword[7:-1])
            if (index is None) != (entry.msgid_plural is None):
                raise PoSyntaxError("plural entries use msgstr[N], others msgstr", number, source)
            if (index or 0) in entry.msgstr:
                raise PoSyntaxError(f"duplicate {keyword}", number, source)
            entry.msgstr[index or 0] = _unquote(rest, number, source)
            target, section = ("msgstr", index), "str"
        else:
            raise PoSyntaxError(f"unknown keyword {keyword!r}", number, source)
    if section not in ("start", "str"):
        raise PoSyntaxError("file ends inside an entry", len(text.splitlines()), source)
    finish()
    seen: dict[str, int] = {}
    for e in entries:
        if e.key in seen:
            raise PoSyntaxError(f"duplicate message {e.key!r} (first on line {seen[e.key]})", e.line, source)
        seen[e.key] = e.line
    return entries


def _charset(entries: list[Entry]) -> str:
    for e in entries:
        if e.msgid == "" and e.msgctxt is None:
            for header_line in e.value.splitlines():
                name, _, value = header_line.partition(":")
                if name.strip().lower() == "content-type" and "charset=" in value:
                    return value.split("charset=", 1)[1].split(";")[0].strip() or "utf-8"
    return "utf-8"


def compile_entries(entries: list[Entry]) -> bytes:
    """The .mo bytes for these entries, as msgfmt writes them (without the optional hash table)."""
    charset = _charset(entries)
    messages = {}
    for e in entries:
        is_header = e.msgid == "" and e.msgctxt is None
        if (e.fuzzy and not is_header) or not e.translated:
            continue
        value = e.value
        if (
            is_header
        ):  # msgfmt leaves the extraction date out, so a rerun of makemessages alone changes nothing
            value = "".join(
                line for line in value.splitlines(keepends=True) if not line.startswith("POT-Creation-Date:")
            )
        messages[e.key.encode(charset)] = value.encode(charset)
    keys = sorted(messages)
    count = len(keys)
    header_size = 7 * 4
    originals_at = header_size
    translations_at = originals_at + count * 8
    data_at = translations_at + count * 8
    originals, translations, data = [], [], bytearray()
    for k in keys:
        originals.append((len(k), data_at + len(data)))
        data += k + b"\x00"
    for k in keys:
        v = messages[k]
        translations.append((len(v), data_at + len(data)))
        data += v + b"\x00"
    out = bytearray(struct.pack("<7I", MO_MAGIC, 0, count, originals_at, translations_at, 0, data_at))
    for length, offset in originals + translations:
        out += struct.pack("<2I", length, offset)
    out += data
    return bytes(out)


def compile_po(text: str, source: str = "<po>") -> bytes:
    return compile_entries(parse_po(text, source))


def catalogue_files(root: Path = LOCALE_DIR) -> list[Path]:
    return sorted(root.glob("*/LC_MESSAGES/*.po"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "po", nargs="*", type=Path, help="the .po files (default: every one under jigai/locale)"
    )
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a .mo is stale")
    args = parser.parse_args(argv)
    stale = 0
    for po in args.po or catalogue_files():
        mo = po.with_suffix(".mo")
        compiled = compile_po(po.read_text(encoding="utf-8"), str(po))
        current = mo.read_bytes() if mo.exists() else None
        if current == compiled:
            continue
        if args.check:
            print(f"stale: {mo}", file=sys.stderr)
            stale += 1
        else:
            mo.write_bytes(compiled)
            print(f"wrote {mo}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
