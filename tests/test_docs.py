"""The repository stands alone: every comment, docstring and README cites documents inside it.

A citation such as ``docs/programme.md, reading 12`` must resolve in a fresh clone: the file exists, the
reading exists, and nothing points to files outside the repository (``../shared/…``).
"""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROGRAMME = ROOT / "docs" / "programme.md"
SUFFIXES = {".py", ".md", ".html", ".yaml", ".yml", ".po", ".toml", ".txt"}


def _tracked_text_files() -> list[Path]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        pytest.skip("not a git checkout")
    this = Path(__file__).resolve()  # it spells out what it looks for
    return [
        ROOT / name
        for name in out.stdout.splitlines()
        if Path(name).suffix in SUFFIXES and (ROOT / name).resolve() != this
    ]


@pytest.fixture(scope="module")
def lines() -> list[tuple[str, int, str]]:
    found = []
    for path in _tracked_text_files():
        if not path.exists():
            continue  # deleted in the work tree, not yet committed
        for number, line in _logical_lines(path):
            found.append((str(path.relative_to(ROOT)), number, line))
    return found


def _logical_lines(path: Path) -> list[tuple[int, str]]:
    """The file's lines; in a .po, a string's continuation lines joined to it (gettext wraps at 79
    columns wherever a space falls, so "docs/programme.md, reading 12" may span two lines)."""
    out: list[tuple[int, str]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if path.suffix == ".po" and line.startswith('"') and out and out[-1][1].endswith('"'):
            out[-1] = (out[-1][0], out[-1][1][:-1] + line[1:])
        else:
            out.append((number, line))
    return out


def _anchors() -> set[str]:
    return set(re.findall(r'<a id="([\w-]+)"></a>', PROGRAMME.read_text(encoding="utf-8")))


def test_nothing_points_outside_the_repository(lines):
    outside = re.compile(r"\.\./shared/|/work/share[d]/|shared/(spec|design|seed)/|\bARCHITECTURE\.md")
    bad = [f"{p}:{n}: {line.strip()}" for p, n, line in lines if outside.search(line)]
    assert not bad, "\n".join(bad)


def test_every_cited_document_is_in_docs(lines):
    bare = re.compile(r"(?<![\w/.-])(programme|security|documents|architecture)\.md")
    cited = re.compile(r"\bdocs/([\w-]+\.md)")
    bad = []
    for p, n, line in lines:
        if bare.search(line):
            bad.append(f"{p}:{n}: cite it as docs/…: {line.strip()}")
        for name in cited.findall(line):
            if not (ROOT / "docs" / name).exists():
                bad.append(f"{p}:{n}: docs/{name} does not exist")
    assert not bad, "\n".join(bad)


def test_every_cited_reading_exists_and_says_where(lines):
    """``reading 12`` alone does not tell a reader where to look; ``docs/programme.md, reading 12`` does."""
    numbers = {int(a.split("-")[1]) for a in _anchors() if a.startswith("reading-")}
    assert numbers == set(range(1, 24))
    # "reading 12", "readings 10–11"; not prose such as "reading 50,000 rows" or "reading 3 files".
    reading = re.compile(
        r"\b[Rr]eadings? (\d+)(?!\d)(?:\s*(?:–|-|and|to)\s*(\d+)(?!\d))?"
        r"(?![,.]\d)(?!\s+(?:rows|files|sheets|lines|bytes|MB|s)\b)"
    )
    bad = []
    for p, n, line in lines:
        if p == "docs/programme.md":
            continue
        for m in reading.finditer(line):
            if "docs/programme.md" not in line:
                bad.append(f"{p}:{n}: say where: {line.strip()}")
            for group in m.groups():
                if group is not None and int(group) not in numbers:
                    bad.append(f"{p}:{n}: there is no reading {group}")
    assert not bad, "\n".join(bad)


def test_links_to_a_reading_resolve(lines):
    anchors = _anchors()
    link = re.compile(r"programme\.md#([\w-]+)|\]\(#(reading-[\w-]+)\)")
    bad = []
    for p, n, line in lines:
        for m in link.finditer(line):
            anchor = m.group(1) or m.group(2)
            if anchor not in anchors:
                bad.append(f"{p}:{n}: #{anchor}")
    assert not bad, "\n".join(bad)
