"""The built site's sitemap, rewritten after MkDocs.

MkDocs gives every page the build's day as `<lastmod>`, which is not when the page changed and made
two builds of the same input differ; and a file may hold at most 50,000 URLs, fewer than a
50,000-paper site's pages. So the same URLs are written again, sorted, without dates; above LIMIT
URLs `sitemap.xml` (what robots.txt names) is an index of `sitemap-1.xml`, `sitemap-2.xml`...
`sitemap.xml.gz` is its gzip, with no timestamp."""

from __future__ import annotations

import gzip
import html
import re
from collections.abc import Iterable
from pathlib import Path

LIMIT = 50_000  # URLs a sitemap file may hold (sitemaps.org)
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
_LOC = re.compile(r"<loc>([^<]*)</loc>")


def rewrite(site_dir: Path, site_url: str, more: Iterable[str] = ()) -> int:
    """Rewrite `site_dir`'s sitemap (see the module) with `more` URLs (escaped), all in
    order; returns the number of sitemap files holding URLs (0 when MkDocs wrote none, or
    it has no absolute URLs: no `site_url`)."""
    path = site_dir / "sitemap.xml"
    if not site_url or not path.is_file():
        return 0
    urls = sorted([*_LOC.findall(path.read_text(encoding="utf-8")), *more])  # escaped, as written
    for stale in site_dir.glob("sitemap-*.xml"):
        stale.unlink()
    parts = [urls[n : n + LIMIT] for n in range(0, len(urls), LIMIT)] or [[]]
    if len(parts) == 1:
        text = _sitemap("urlset", "url", parts[0])
    else:
        names = [f"sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
        for name, part in zip(names, parts, strict=True):
            (site_dir / name).write_text(_sitemap("urlset", "url", part), encoding="utf-8")
        base = site_url if site_url.endswith("/") else site_url + "/"
        text = _sitemap("sitemapindex", "sitemap", [html.escape(base + name) for name in names])
    path.write_text(text, encoding="utf-8")
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    return len(parts)


def _sitemap(root: str, item: str, locs: list[str]) -> str:
    """A <urlset> of <url>s or a <sitemapindex> of <sitemap>s, one `locs` entry each."""
    body = "".join(f"<{item}><loc>{loc}</loc></{item}>\n" for loc in locs)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{NAMESPACE}">\n{body}</{root}>\n'
    )
