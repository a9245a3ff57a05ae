"""The sitemap rewritten after MkDocs: no build dates, and split above 50,000 URLs."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET

from generator.exports import sitemap

SPACE = {"s": sitemap.NAMESPACE}
MKDOCS = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{}</urlset>
"""


def mkdocs_sitemap(folder, locs):
    entries = "".join(
        f"    <url>\n         <loc>{loc}</loc>\n"
        "         <lastmod>2026-12-03</lastmod>\n    </url>\n"
        for loc in locs
    )
    (folder / "sitemap.xml").write_text(MKDOCS.format(entries))


def locs_of(path, kind="url"):
    return [e.text for e in ET.parse(path).getroot().iterfind(f"s:{kind}/s:loc", SPACE)]


def test_the_same_urls_in_order_without_dates(tmp_path):
    urls = [f"https://x.io/r/p{n}/?a=1&amp;b=2" for n in range(5)]
    mkdocs_sitemap(tmp_path, urls)
    assert sitemap.rewrite(tmp_path, "https://x.io/r/") == 1
    text = (tmp_path / "sitemap.xml").read_text()
    assert "lastmod" not in text
    assert locs_of(tmp_path / "sitemap.xml") == [u.replace("&amp;", "&") for u in urls]
    assert gzip.decompress((tmp_path / "sitemap.xml.gz").read_bytes()).decode() == text
    assert not list(tmp_path.glob("sitemap-*.xml"))


def test_above_the_limit_an_index_of_numbered_files(tmp_path, monkeypatch):
    monkeypatch.setattr(sitemap, "LIMIT", 2)
    urls = [f"https://x.io/r/p{n}/" for n in range(5)]
    mkdocs_sitemap(tmp_path, urls)
    (tmp_path / "sitemap-9.xml").write_text("stale")
    assert sitemap.rewrite(tmp_path, "https://x.io/r") == 3
    index = tmp_path / "sitemap.xml"
    assert ET.parse(index).getroot().tag == f"{{{sitemap.NAMESPACE}}}sitemapindex"
    parts = locs_of(index, "sitemap")
    assert parts == [f"https://x.io/r/sitemap-{n}.xml" for n in (1, 2, 3)]
    assert sorted(p.name for p in tmp_path.glob("sitemap-*.xml")) == [
        "sitemap-1.xml",
        "sitemap-2.xml",
        "sitemap-3.xml",
    ]
    found = [loc for n in (1, 2, 3) for loc in locs_of(tmp_path / f"sitemap-{n}.xml")]
    assert found == urls
    assert gzip.decompress((tmp_path / "sitemap.xml.gz").read_bytes()) == index.read_bytes()


def test_without_a_site_url_or_a_sitemap_nothing_changes(tmp_path):
    assert sitemap.rewrite(tmp_path, "https://x.io/") == 0
    mkdocs_sitemap(tmp_path, ["p/"])
    before = (tmp_path / "sitemap.xml").read_bytes()
    assert sitemap.rewrite(tmp_path, "") == 0
    assert (tmp_path / "sitemap.xml").read_bytes() == before
