"""The built site's sitemap, rewritten after MkDocs.

MkDocs writes one `sitemap.xml` listing every page with the day of the build as its
`<lastmod>`. That date is not when a page changed (search engines are told to ignore a
lastmod that is not accurate), and it made two builds of the same input differ by the day.
And the sitemap protocol allows at most 50,000 URLs a file: a 50,000-paper site has about
51,400 pages. So the sitemap is written again with the same URLs in the same order, without
dates, and above LIMIT URLs as a sitemap index (`sitemap.xml`, what robots.txt names)
pointing to `sitemap-1.xml`, `sitemap-2.xml`... of at most LIMIT URLs each. `sitemap.xml.gz`
is the gzip of `sitemap.xml`, as MkDocs writes it, with no timestamp.
"""

from __future__ import annotations

import gzip
import html
import re
from pathlib import Path

LIMIT = 50_000  # URLs a sitemap file may hold (sitemaps.org)
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
_LOC = re.compile(r"<loc>([^<]*)</loc>")


def rewrite(site_dir: Path, site_url: str) -> int:
    """Rewrite `site_dir`'s sitemap (see the module); returns the number of sitemap files
    holding URLs (0 when MkDocs wrote none, or it has no absolute URLs: no `site_url`)."""
    path = site_dir / "sitemap.xml"
    if not site_url or not path.is_file():
        return 0
    urls = _LOC.findall(path.read_text(encoding="utf-8"))  # escaped, as MkDocs wrote them
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
