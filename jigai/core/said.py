"""Messages that remember how they were said, so they can be said again in another language.

A message built with :func:`say` is a ``str`` — the sentence in the language active when it was made,
so it goes wherever text goes (an f-string, a test's ``in``, JSON) — that also keeps its catalogue entry
and its figures. Whoever stores it (a background job's result: it runs in Chinese) keeps
:meth:`Said.as_json` beside the text and shows it later with :func:`said_again`, in the language of the
page that reads it. The import engine's row problems and file refusals are said this way
(docs/architecture.md, "Translations").

    raise ParseError(say("超过 %(max)s 个字（实际 %(n)s 个字）", max=200, n=len(s)))

``say`` is a gettext keyword for extraction (``jigai/core/management/commands/makemessages.py``), so
its first argument is a literal Chinese msgid with named placeholders (``%(name)s`` only: a figure may
come back from JSON as text). A placeholder's value may itself be a :class:`Said`; it is said again too.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language, gettext, pgettext

__all__ = ["Said", "quoted_list", "said_again", "said_from_json", "said_json", "said_list", "say", "say_in"]

# The msgid of a list: its params are its items ("0", "1", …), joined by the language's list separator.
LIST = "\x1flist"
CONTEXT = "\x04"  # gettext's own separator of a context and its msgid


def _render(msgid: str, params: dict[str, Any]) -> str:
    if msgid == LIST:
        return pgettext("list separator", "、").join(str(params[k]) for k in sorted(params, key=int))
    context, sep, bare = msgid.partition(CONTEXT)
    text = pgettext(context, bare) if sep else gettext(msgid)
    return text % params if params else text


class Said(str):
    """The sentence in the language active when it was said, with its msgid and figures."""

    msgid: str
    params: dict[str, Any]
    language: str | None

    def __new__(cls, msgid: str, params: dict[str, Any] | None = None) -> Said:
        params = dict(params or {})
        # A said figure is said again in the language active now, so the whole sentence reads in one.
        obj = super().__new__(cls, _render(msgid, {k: said_again(v) for k, v in params.items()}))
        obj.msgid = msgid
        obj.params = params
        obj.language = get_language()
        return obj

    def __reduce__(self):
        return (said_from_json, (self.as_json(),))

    def again(self) -> str:
        """The sentence in the language active now (itself when that is the language it was said in)."""
        if self.language == get_language():
            return str(self)
        return _render(self.msgid, {k: said_again(v) for k, v in self.params.items()})

    def as_json(self) -> dict[str, Any]:
        return {"msgid": self.msgid, "params": {k: _json(v) for k, v in self.params.items()}}


def say(msgid: str, /, **params: Any) -> Said:
    """``gettext(msgid) % params`` that can be said again (see the module's docstring)."""
    return Said(msgid, params)


def say_in(context: str, msgid: str, /, **params: Any) -> Said:
    """``say`` with a context (``pgettext``): the same Chinese word read differently here."""
    return Said(f"{context}{CONTEXT}{msgid}", params)


def said_list(items: Any) -> Said:
    """Items joined by the list separator of the language (、 in Chinese, ", " in English), said again
    item by item."""
    return Said(LIST, {str(i): item for i, item in enumerate(items)})


def quoted_list(names: Any) -> Said:
    """Names in quotation marks, as a list: “第一张”、“第二张”."""
    return said_list(f"“{name}”" for name in names)


def _json(value: Any) -> Any:
    if isinstance(value, Said):
        return {"said": value.as_json()}
    if value is None or isinstance(value, (bool, int)):
        return value
    return str(value)  # a Decimal, a date, a name: as text


def said_from_json(data: Any) -> Said | str:
    """A :class:`Said` back from :meth:`Said.as_json` (said in the active language); anything that is
    not such a dict comes back as its text."""
    if not isinstance(data, dict) or not isinstance(data.get("msgid"), str):
        return "" if data is None else str(data)
    raw = data.get("params") if isinstance(data.get("params"), dict) else {}
    params = {
        k: said_from_json(v["said"]) if isinstance(v, dict) and "said" in v else v for k, v in raw.items()
    }
    try:
        return Said(data["msgid"], params)
    except (KeyError, TypeError, ValueError):
        # A stored entry whose placeholders no longer match its catalogue entry: show it untranslated.
        return str(data["msgid"])


def said_json(text: Any) -> dict[str, Any] | None:
    """How ``text`` was said (:meth:`Said.as_json`), or None for text that was not said."""
    return text.as_json() if isinstance(text, Said) else None


def said_again(text: Any) -> Any:
    """``text`` in the language active now if it is a :class:`Said`, else as it is."""
    return text.again() if isinstance(text, Said) else text
