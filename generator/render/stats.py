"""The Statistics page: what the catalogue holds, as static SVG charts with data tables.

Papers per tag, which tags appear together (the most used tags only, so the heatmap stays readable),
papers per listing and the share of papers that link their code."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

from generator.model import Catalogue, Paper, Tag
from generator.render import blocks as page
from generator.render.charts import bar_chart, figure, heatmap
from generator.render.pages import LIST_MATTER, Described, listing_title

STATS_PAGE = "stats.md"
HEATMAP_TAGS = 20


def has_code(paper: Paper) -> bool:
    """Whether the paper links its code."""
    return any(link.kind == "code" for link in paper.links)


def tag_counts(catalogue: Catalogue) -> Counter[str]:
    """How many papers carry each tag, by slug."""
    return Counter(tag for tags in catalogue.paper_tags.values() for tag in tags)


def _by_use(catalogue: Catalogue) -> list[tuple[Tag, int]]:
    """Every tag with its number of papers, most used first."""
    counts = tag_counts(catalogue)
    ranked = sorted(catalogue.tags, key=lambda t: (-counts[t.slug], t.name.casefold()))
    return [(tag, counts[tag.slug]) for tag in ranked]


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def stats_page(catalogue: Catalogue) -> Described:
    """The Statistics page: a summary, then each chart (a raw HTML block) under its heading."""
    papers = catalogue.papers
    coded = sum(map(has_code, papers))
    summary = (
        f"{len(papers)} papers from {len(catalogue.listings)} listings in "
        f"{len(catalogue.tags)} tags; {coded} ({_percent(coded, len(papers)):g}%) link their "
        "code. Each chart has its numbers in a table below it."
    )
    blocks: list[page.Block] = [
        page.Heading(1, "Statistics"),
        page.Paragraph((page.fixed(summary),)),
    ]
    for section in (_per_tag, _together, _per_listing, _with_code):
        heading, html = section(catalogue)
        blocks += [page.Heading(2, heading), page.RawBlock(html.rstrip("\n"))]
    return {STATS_PAGE: (LIST_MATTER, blocks)}


def _per_tag(catalogue: Catalogue) -> tuple[str, str]:
    rows = [(tag.name, n) for tag, n in _by_use(catalogue)]
    top = ", ".join(f"{name} ({n})" for name, n in rows[:3])
    chart = bar_chart(
        "per-tag",
        "Papers per tag",
        f"Number of papers with each of the {len(rows)} tags, most used first: {top}.",
        rows,
    )
    return "Papers per tag", figure(chart, ["Tag", "Papers"], [[name, str(n)] for name, n in rows])


def _together(catalogue: Catalogue) -> tuple[str, str]:
    chosen = [tag for tag, n in _by_use(catalogue) if n][:HEATMAP_TAGS]
    index = {t.slug: n for n, t in enumerate(chosen)}
    matrix = [[0] * len(chosen) for _ in chosen]
    for tags in catalogue.paper_tags.values():
        for a, b in combinations(sorted({index[t] for t in tags if t in index}), 2):
            matrix[a][b] += 1
            matrix[b][a] += 1
    pairs = sorted(
        (
            (matrix[a][b], chosen[a].name, chosen[b].name)
            for a, b in combinations(range(len(chosen)), 2)
            if matrix[a][b]
        ),
        key=lambda item: (-item[0], item[1].casefold(), item[2].casefold()),
    )
    best = "; ".join(f"{a} and {b} ({n})" for n, a, b in pairs[:3]) or "none"
    chart = heatmap(
        "together",
        "Tags that appear together",
        f"How many papers share each pair of the {len(chosen)} most used tags; darker is "
        f"more. Most frequent pairs: {best}.",
        [t.name for t in chosen],
        matrix,
    )
    return "Tags that appear together", figure(
        chart, ["Tag", "Tag", "Papers with both"], [[a, b, str(n)] for n, a, b in pairs]
    )


def _per_listing(catalogue: Catalogue) -> tuple[str, str]:
    rows = []
    for number, listing in enumerate(catalogue.listings, start=1):
        papers = catalogue.listing_papers.get(listing.slug, ())
        rows.append((listing_title(listing, number), len(papers), len(listing.records)))
    chart = bar_chart(
        "per-listing",
        "Papers per listing",
        f"Number of distinct papers in each of the {len(rows)} listings, in input order.",
        [(name, papers) for name, papers, _ in rows],
    )
    return "Papers per listing", figure(
        chart, ["Listing", "Papers", "Entries"], [[name, str(p), str(e)] for name, p, e in rows]
    )


def _with_code(catalogue: Catalogue) -> tuple[str, str]:
    rows = []
    for number, listing in enumerate(catalogue.listings, start=1):
        papers = catalogue.listing_papers.get(listing.slug, ())
        coded = sum(map(has_code, papers))
        rows.append((listing_title(listing, number), coded, len(papers)))
    total = sum(map(has_code, catalogue.papers))
    rows.append(("All papers", total, len(catalogue.papers)))
    chart = bar_chart(
        "with-code",
        "Share of papers with code",
        f"Percentage of papers linking a code repository, per listing and overall "
        f"({_percent(total, len(catalogue.papers)):g}% of all papers).",
        [(name, _percent(coded, n)) for name, coded, n in rows],
        maximum=100,
        unit="%",
    )
    return "Papers with code", figure(
        chart,
        ["Listing", "With code", "Papers", "Share"],
        [[name, str(c), str(n), f"{_percent(c, n):g}%"] for name, c, n in rows],
    )
