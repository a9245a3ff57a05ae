"""A corpus of hostile listing files, and what the build must make of each.

Every case is a file a scraper could plausibly hand us: broken encodings, empty and
binary files, missing headers and dates, orphan titles, megabyte abstracts, titles that
are HTML, Markdown, template or YAML syntax, titles that look like paths. Each case says
which good papers must survive it (their exact titles) and the exact warnings it must
cause, so the unit, build and browser tests all check the same expectations.

`python -m tests.hostile DIR` writes the corpus into DIR (for example
`site_src/listings/`) to try it by hand with `make build`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

HEADER = [
    "new",
    "",
    "Get trending papers in your email inbox!",
    "",
    "Subscribe",
    "",
    "byAK and the research community",
    "",
]


def abstract(topic: str) -> str:
    """A plausible, multi-sentence abstract that the taxonomy tags (it says 'arithmetic')."""
    return (
        f"We study {topic} in small transformers trained on arithmetic. Models learn "
        "multi-digit addition and multiplication from a few thousand examples. We show "
        "that the digit order of the training data matters more than its size. Our "
        "analysis explains when arithmetic generalises to longer numbers and when it fails."
    )


# Titles that are markup in some language the site passes through. Each must show
# literally everywhere it appears, and none may run, link, style or restructure anything.
MARKUP_TITLES = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</title><script>alert('title')</script>",
    "[x](javascript:alert(1))",
    '{: onclick="alert(1)"}',
    "# heading",
    "*a* and _b_ and **c**",
    "`code` and ```fence```",
    "|a|b|",
    "[[wiki]]",
    "<!-- c",
    "{{ jinja }}",
    "{% include 'x' %}",
    "---",
    "key: value",
    "\"double\" and 'single' quotes",
    "&amp; &lt;b&gt; entities",
    ":smile: ~~strike~~ ^sup^ ==mark== $x$",
    "Trailing hashes ##",
    "Heading with attributes { #id .cls }",
    "\\*backslash\\* escapes \\<b\\>",
)
# Titles that must not become paths: slugs stay safe, non-empty and unique.
PATH_TITLES = (
    "../../x",
    "/etc/passwd",
    "C:\\Windows\\system32",
    "???",
    "...",
    "🙂🙂🙂",
    "注意力机制的算术推理",
    "CON",
    "Index",
)
LONG_TITLE = "Arithmetic " + "very " * 996 + "long title"  # 5,000+ characters
# What is left of it: titles are cut, at a word, to the limit of 1,000 characters.
LONG_TITLE_SHOWN = "Arithmetic " + "very " * 196 + "very…"
MEGABYTE = 1_000_000


@dataclass(frozen=True)
class Case:
    """One hostile listing file: its name, its bytes, what must survive and be reported.

    `papers` are the exact titles of the good papers that must appear on every page,
    export and search index; `replaced` the records a later listing overrides (same
    title, other abstract); `warnings` the exact text of every warning the file causes.
    """

    name: str
    data: bytes
    papers: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    why: str = ""
    replaced: tuple[str, ...] = ()

    @property
    def bad(self) -> bool:
        return bool(self.warnings)


@dataclass
class _Listing:
    """Builds a listing's text line by line, remembering where each title lands."""

    lines: list[str] = field(default_factory=list)
    at: dict[str, int] = field(default_factory=dict)

    def add(self, *lines: str) -> _Listing:
        self.lines.extend(lines)
        return self

    def paper(self, title: str, text: str | None = None) -> _Listing:
        self.at[title] = len(self.lines) + 1
        text = text if text is not None else abstract(title)
        return self.add(title, "", *text.split("\n"), "")

    def text(self, newline: str = "\n") -> str:
        return newline.join(self.lines) + newline

    def bytes(self) -> bytes:
        return self.text().encode("utf-8")


def standard(*titles: str) -> _Listing:
    """Header, date line, then one good paper per title."""
    listing = _Listing().add(*HEADER, "Mar 19", "")
    for title in titles:
        listing.paper(title)
    return listing


def _no_date(source: str, line: int) -> str:
    return (
        f"{source}:{line}: no capture date line (like 'Mar 19') before the first paper; "
        "the listing is shown without a date."
    )


def _no_papers(source: str) -> str:
    return (
        f"{source}:1: no papers found; a listing is title and abstract paragraphs "
        "separated by blank lines."
    )


def _orphan(source: str, line: int, title: str) -> str:
    return (
        f"{source}:{line}: title without abstract ({title!r}); add the abstract after a "
        "blank line, or delete the title."
    )


def cases() -> tuple[Case, ...]:
    """The whole corpus, in file-name order (the order the build reads them)."""
    out: list[Case] = []

    name = "h01_invalid_utf8.txt"
    good = standard("Arithmetic with Broken Bytes", "Arithmetic after Broken Bytes")
    data = good.bytes().replace(b"We study Arithmetic with", b"We study \xff\x81\xc3 with", 1)
    out.append(
        Case(
            name,
            data,
            papers=tuple(good.at),
            warnings=(
                f"{name}:{good.at['Arithmetic with Broken Bytes'] + 2}: not valid UTF-8; bad "
                "bytes were replaced with U+FFFD. Save the file as UTF-8.",
            ),
            why="bad bytes are replaced, the paper is kept",
        )
    )

    name = "h02_empty.txt"
    out.append(Case(name, b"", warnings=(f"{name}:1: is empty; add papers or delete it.",)))

    name = "h03_blank_lines_only.txt"
    out.append(
        Case(name, b"\n \r\n\t\n\n", warnings=(f"{name}:1: is empty; add papers or delete it.",))
    )

    name = "h04_header_only.txt"
    out.append(Case(name, _Listing().add(*HEADER, "Mar 19").bytes(), warnings=(_no_papers(name),)))

    name = "h05_no_header.txt"
    bare = _Listing().paper("Arithmetic without a Header")
    out.append(Case(name, bare.bytes(), tuple(bare.at), (_no_date(name, 1),)))

    name = "h06_dated_with_year.txt"
    dated = _Listing().add(*HEADER, "Mar 19, 2024", "").paper("Arithmetic Dated with a Year")
    out.append(Case(name, dated.bytes(), tuple(dated.at)))

    name = "h07_no_date.txt"
    undated = _Listing().add(*HEADER).paper("Arithmetic without a Date")
    out.append(Case(name, undated.bytes(), tuple(undated.at), (_no_date(name, 9),)))

    name = "h08_title_without_abstract.txt"
    orphan = standard().add("An Orphan Title about Arithmetic", "")
    line = len(orphan.lines) - 1
    orphan.paper("Arithmetic Kept Despite an Orphan").add("A Trailing Orphan Title", "")
    out.append(
        Case(
            name,
            orphan.bytes(),
            papers=("Arithmetic Kept Despite an Orphan",),
            warnings=(
                _orphan(name, line, "An Orphan Title about Arithmetic"),
                _orphan(name, len(orphan.lines) - 1, "A Trailing Orphan Title"),
            ),
        )
    )

    name = "h09_long_title.txt"
    long = standard(LONG_TITLE)
    cut = f"{name}:11: title of 5,001 characters cut to 996: the limit is 1,000; shorten it in "
    cut += "the file."
    out.append(Case(name, long.bytes(), (LONG_TITLE_SHOWN,), (cut,), why="title cut, slug bounded"))

    name = "h10_megabyte_abstract.txt"
    sentence = "Arithmetic in transformers is studied at length, digit by digit, again. "
    huge = standard().paper("Arithmetic at Megabyte Length", sentence * (MEGABYTE // len(sentence)))
    # Shapes that make naive regular expressions quadratic (found with a profiler).
    pathological = (
        "Arithmetic, pathologically. https://github.com/a/b"
        + ")" * 100_000
        + " "
        + "\\(" * 50_000
        + " "
        + "$" * 100_000
        + " "
        + "{\\sc " * 20_000
        + "]" * 100_000
    )
    huge.paper("Arithmetic with Pathological Text", pathological)
    huge.paper("Arithmetic after a Megabyte")
    cuts = (
        f"{name}:11: abstract of 999,935 characters cut to 19,999: the limit is 20,000; "
        "shorten it in the file.",
        f"{name}:15: abstract of 500,053 characters cut to 20,000: the limit is 20,000; "
        "shorten it in the file.",
    )
    out.append(Case(name, huge.bytes(), tuple(huge.at), cuts))

    name = "h11_binary.txt"
    noise = random.Random(11).randbytes(4096)
    binary = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise
    out.append(
        Case(
            name,
            binary,
            warnings=(
                f"{name}:1: looks like a binary file, not a listing; it was skipped. "
                "If it is a listing, save it as UTF-8 text; otherwise remove it.",
            ),
        )
    )

    name = "h12_crlf.txt"
    crlf = standard("Arithmetic with CRLF Line Ends", "Arithmetic with More CRLF")
    out.append(Case(name, crlf.text("\r\n").encode(), tuple(crlf.at)))

    name = "h13_markup_titles.txt"
    markup = standard(*MARKUP_TITLES)
    out.append(Case(name, markup.bytes(), MARKUP_TITLES, why="shown literally everywhere"))

    name = "h14_path_titles.txt"
    paths = standard(*PATH_TITLES)
    out.append(Case(name, paths.bytes(), PATH_TITLES, why="safe, unique, non-empty slugs"))

    name = "h15_conflict_a.txt"
    first = standard().paper("Conflicting Arithmetic Paper", abstract("the first version"))
    out.append(Case(name, first.bytes(), replaced=tuple(first.at)))
    name = "h16_conflict_b.txt"
    second = standard().paper("Conflicting arithmetic paper.", abstract("the second version"))
    out.append(
        Case(
            name,
            second.bytes(),
            ("Conflicting arithmetic paper.",),
            (
                f"{name}:{second.at['Conflicting arithmetic paper.']}: same title as "
                f"h15_conflict_a.txt:{first.at['Conflicting Arithmetic Paper']} but a "
                "different abstract; this later one is used. Make the abstracts agree.",
            ),
            why="the later listing wins, reported",
        )
    )

    name = "h17_markup_abstracts.txt"
    nasty = (
        "Arithmetic <script>alert('abstract')</script> and </textarea><img src=x "
        'onerror=alert(2)>. See [x](javascript:alert(3)) and https://example.org/a"><b>x</b> '
        "or {{ config }} {% raw %} ${x} `tick` <!-- open. | a | b |\n---\n# not a heading"
    )
    abstracts = standard().paper("Arithmetic with a Hostile Abstract", nasty)
    out.append(Case(name, abstracts.bytes(), tuple(abstracts.at)))

    name = "h18_utf16.txt"
    wide = standard("Arithmetic Saved as UTF-16")
    out.append(Case(name, wide.text().encode("utf-16"), tuple(wide.at), why="BOM honoured"))

    # Two file names that slugify alike must still get two listing pages.
    for name, which in (("h19 same stem.txt", "First"), ("h19-same-stem.txt", "Second")):
        twin = standard(f"Arithmetic from the {which} Twin File")
        out.append(Case(name, twin.bytes(), tuple(twin.at)))

    name = "h20_<img src=x onerror=alert(20)> `name`.txt"
    named = standard("Arithmetic from a Hostile File Name")
    out.append(Case(name, named.bytes(), tuple(named.at), why="file name shown literally"))

    name = "index.txt"
    index = standard("Arithmetic from a File Called Index")
    out.append(Case(name, index.bytes(), tuple(index.at), why="does not replace listings/index"))

    name = "nested/h21_nested.txt"
    nested = standard("Arithmetic in a Subfolder")
    out.append(Case(name, nested.bytes(), tuple(nested.at)))

    return tuple(sorted(out, key=lambda case: case.name))


def write(folder: Path) -> list[Path]:
    """Write every case into `folder`; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for case in cases():
        path = folder / case.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(case.data)
        paths.append(path)
    return paths
