"""What one search costs a reader of a built site: bytes fetched and time until results
show, in headless Chromium over HTTP on localhost (`make bench`'s last column)."""

from __future__ import annotations

import json
from collections.abc import Generator
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"  # Debian's; `make chromium` installs it


QUERY = "sparse attention quantization"
# Run in the page before its own scripts: the time of the first animation frame after a
# result (an item holding its link) is in the document, that is when it is painted. Read
# in the page, not by polling from Playwright: a locator's wait polls at 0, 20, 50, 100,
# 100 ms and then every 500 ms, which added up to half a second to the figure.
FIRST_RESULT = """(selector => {
  const seen = () => {
    if (window.__firstResult === undefined && document.querySelector(selector)) {
      window.__firstResult = null;
      requestAnimationFrame(() => { window.__firstResult = performance.now(); });
    }
  };
  new MutationObserver(seen).observe(document, {childList: true, subtree: true});
})(%s);"""


SEARCH_RUNS = 5  # cold page loads per figure: one was as noisy as the machine


def search_cost(site: Path, runs: int = SEARCH_RUNS) -> dict:
    """What one search costs a reader: bytes fetched for it and time until results show,
    the median of `runs` cold loads (each in a new browser context: nothing cached).

    Opens a paper page with `?q=` in headless Chromium over HTTP on localhost. Material's
    search fetches its whole index; Pagefind fetches its scripts and the chunks the query
    needs. A result counts as shown once an item with its link is painted (Pagefind UI
    draws empty placeholders first, with the same class). Bytes are the fetched files'
    sizes (the server sends them as they are; Chromium reports no size for a worker's
    script).
    """
    from playwright.sync_api import sync_playwright

    from generator.bench.run import median
    from tests.conftest import CHROMIUM_ARGS, serve

    paper = sorted(site.glob("papers/*/index.html"))[0].parent.name
    pagefind = (site / "pagefind").is_dir()
    result = ".pagefind-ui__result" if pagefind else ".md-search-result__item"
    shown_result = f"{result} a[href]"
    server = serve(site)
    assert isinstance(server, Generator)  # `serve` is a generator function: it can be closed
    base = next(server)
    loads = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(runs):
                context = browser.new_context()
                loads.append(_search_once(context, site, base, paper, result, shown_result))
                context.close()
            browser.close()
    finally:
        server.close()
    middle = median(loads, "after_page")
    return {
        "engine": "pagefind" if pagefind else "material",
        "bytes": middle["bytes"],
        "results_ms_after_page": middle["after_page"],
        "results_ms_from_navigation": middle["from_navigation"],
        "results_shown": middle["shown"],
        "runs_ms_after_page": [load["after_page"] for load in loads],
    }


def _search_once(context, site: Path, base: str, paper: str, result: str, shown: str) -> dict:
    """One cold load of a paper page with `?q=QUERY` in a fresh browser `context`."""
    page = context.new_page()
    page.add_init_script(FIRST_RESULT % json.dumps(shown))
    fetched: list[int] = []
    page.on(
        "requestfinished",
        lambda r: (
            fetched.append(fetched_bytes(site, base, r))
            if "/search/" in r.url or "pagefind" in r.url
            else None
        ),
    )
    page.goto(f"{base}papers/{paper}/?q={QUERY.replace(' ', '+')}")
    page.locator(shown).first.wait_for(timeout=60000)
    page.wait_for_function("typeof window.__firstResult === 'number'")
    painted = page.evaluate("window.__firstResult")
    loaded = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
    return {
        "bytes": sum(fetched),
        "after_page": round(painted - loaded),
        "from_navigation": round(painted),
        "shown": page.locator(result).count(),
    }


def fetched_bytes(site: Path, base: str, request) -> int:
    """The size of the file a request fetched from `site` (else the size Chromium saw)."""
    path = site / request.url.removeprefix(base).split("?")[0].split("#")[0]
    if path.is_dir():
        path = path / "index.html"
    return path.stat().st_size if path.is_file() else request.sizes()["responseBodySize"]


def reader_costs(site: Path) -> dict:
    """Bytes a reader fetches (the files' sizes): a cold first visit to a paper page (every
    response until the network is idle; the budget is 400 KB), and finding the papers like
    a pasted abstract on the Similar papers page (the index shards, names and titles)."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_ARGS, serve

    paper = sorted(site.glob("papers/*/index.html"))[0].parent.name
    abstract = next(
        p["abstract"] for p in json.loads((site / "papers.json").read_text()) if p["slug"] == paper
    )
    server = serve(site)
    assert isinstance(server, Generator)
    base = next(server)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context().new_page()
            fetched: list[int] = []
            page.on("requestfinished", lambda r: fetched.append(fetched_bytes(site, base, r)))
            page.goto(f"{base}papers/{paper}/")
            page.wait_for_load_state("networkidle")
            first_visit = sum(fetched)
            page.goto(f"{base}similar/")
            page.wait_for_load_state("networkidle")
            fetched.clear()
            page.get_by_label("Your text").fill(abstract)
            page.get_by_role("button", name="Find similar papers").click()
            page.get_by_text("papers like this text, from").wait_for(timeout=60000)
            page.wait_for_load_state("networkidle")
            browser.close()
    finally:
        server.close()
    return {"first_visit_bytes": first_visit, "similar_bytes": sum(fetched)}
