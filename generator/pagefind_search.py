"""Search for large catalogues: a chunked Pagefind index built from the catalogue itself.

Material's built-in search ships its whole index to every reader (about 3 KB per paper)
and rebuilds it in the browser on each page load, which stops working past a few thousand
papers. Above `extra.catalogue_search.pagefind_above` papers (mkdocs.yml) the build leaves
Material's search plugin out and indexes every paper with Pagefind (PyPI `pagefind`, which
ships its binary): the browser fetches only the index chunks a query needs. Records are
made from the catalogue (title as a heading, so it weighs more, then the abstract), not by
crawling the rendered pages, which keeps indexing fast and independent of the theme; they
are kept in `.cache/pagefind/` (only changed ones rewritten) and indexed by one run of the
Pagefind binary.
Pages load `static/pagefind-search.js`, which shows results for `?q=` on any page.
"""

from __future__ import annotations

import html
import subprocess
import sys
from pathlib import Path

from generator.exports import paper_url
from generator.model import Catalogue, Paper

DEFAULT_ABOVE = 2000
OUTPUT = "pagefind"
# A word every record ends with. Pagefind 1.5 answers a filter-only search (no words) by
# loading every index chunk, megabytes on a large catalogue; the Papers page's filters
# search for this word instead, which loads the one chunk that holds it.
EVERY_PAPER = "zzcatalogpaperzz"


def pagefind_above(extra: object) -> int:
    """The paper count above which Pagefind replaces Material's search."""
    settings = extra.get("catalogue_search") if isinstance(extra, dict) else None
    value = settings.get("pagefind_above") if isinstance(settings, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else DEFAULT_ABOVE


def without_search(plugins: object) -> list:
    """mkdocs.yml's plugin list with Material's search left out."""
    if not isinstance(plugins, list):
        return []
    kept = []
    for entry in plugins:
        name = entry if isinstance(entry, str) else next(iter(entry), "")
        if name not in ("search", "material/search"):
            kept.append(entry)
    return kept


def mkdocs_options(config_file: Path, papers: int) -> dict:
    """`load_config` overrides: none for Material's search, else no search plugin and a
    flag for the theme (`extra.search_engine`) that loads the Pagefind script."""
    from mkdocs.utils.yaml import yaml_load

    with config_file.open("rb") as handle:
        raw = yaml_load(handle) or {}
    extra = raw.get("extra") if isinstance(raw.get("extra"), dict) else {}
    if papers <= pagefind_above(extra):
        return {}
    return {
        "plugins": without_search(raw.get("plugins", ["search"])),
        "extra": {**extra, "search_engine": "pagefind"},
    }


def record(catalogue: Catalogue, paper: Paper) -> str:
    """One paper as the small HTML document Pagefind indexes (title weighted as a heading).

    The Papers page's filters (static/browse.js) ask Pagefind for `tag`, `listing` (slugs)
    and `code` ("yes" when the paper links code) among the records holding EVERY_PAPER,
    sorted A to Z by `title`. The filter values are left out of the text index
    (`data-pagefind-ignore`, not "all", which would drop the filters too)."""
    filters = [("tag", slug) for slug in catalogue.paper_tags.get(paper.slug, ())]
    filters += [("listing", slug) for slug in paper.listings]
    if any(link.kind == "code" for link in paper.links):
        filters.append(("code", "yes"))
    spans = "".join(
        f'<span data-pagefind-filter="{name}">{html.escape(value)}</span>'
        for name, value in filters
    )
    sort = html.escape("title:" + paper.title.casefold())
    return (
        '<html lang="en"><head><title>'
        f"{html.escape(paper.title)}</title></head><body>"
        f'<main data-pagefind-body data-pagefind-sort="{sort}">'
        f"<h1>{html.escape(paper.title)}</h1><p>{html.escape(paper.abstract)}</p>"
        f"<p>{EVERY_PAPER}</p><div data-pagefind-ignore>{spans}</div></main></body></html>"
    )


def records(catalogue: Catalogue) -> dict[str, str]:
    """Every paper's record, keyed by the path that gives Pagefind its result URL."""
    return {f"{paper_url(p.slug)}index.html": record(catalogue, p) for p in catalogue.papers}


def start_index(records_dir: Path, output: Path) -> subprocess.Popen:
    """Start the Pagefind binary over the records folder, writing the bundle to `output`;
    it runs while MkDocs builds (`finish_index` waits for it).

    One run over files is far faster than feeding records one by one to Pagefind's
    Python service, which costs a round trip per record."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(records_dir),
        "--output-path",
        str(output),
        "--force-language",
        "en",
        "--silent",
    ]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def finish_index(process: subprocess.Popen) -> None:
    """Wait for a `start_index` run; raise if Pagefind failed."""
    _, errors = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"pagefind failed ({process.returncode}): {errors.strip()[-2000:]}")
