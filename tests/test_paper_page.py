"""Paper pages built by MkDocs: citation meta tags survive hostile titles."""

from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.pipeline import build
from generator.render.scholar import DESCRIPTION
from tests.conftest import copy_project

pytestmark = pytest.mark.slow

HOSTILE = Path(__file__).parent / "data" / "hostile"
TITLE = 'Breaking </script><script>alert("x")</script> & "quotes" {braces} 100% $x_1$'


class Head(HTMLParser):
    """Collects a paper's <meta> tags (citation, description, OpenGraph), JSON-LD scripts
    and every <script> element's body."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.scripts: list[tuple[str, str]] = []
        self._type: str | None = None
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name") or attrs.get("property") or ""
        if tag == "meta" and name.startswith(("citation_", "og:", "description")):
            self.meta.append((name, attrs["content"]))
        self._in_title = tag == "title"
        if tag == "script":
            self._type = attrs.get("type", "")
            self.scripts.append((self._type, ""))

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._type is not None:
            kind, body = self.scripts[-1]
            self.scripts[-1] = (kind, body + data)

    def handle_endtag(self, tag):
        self._in_title = False
        if tag == "script":
            self._type = None


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("hostile"), listings=HOSTILE)
    result = build(project)
    assert result.mkdocs_warnings == []
    return project


def page_head(project, slug: str) -> Head:
    head = Head()
    head.feed((project.site_dir / "papers" / slug / "index.html").read_text())
    return head


def test_hostile_title_stays_text_in_meta_tags(hostile_site):
    [slug] = [p.name for p in (hostile_site.site_dir / "papers").iterdir() if "breaking" in p.name]
    head = page_head(hostile_site, slug)
    assert head.title.strip() == f"{TITLE} - Paper Catalogue"
    assert ("citation_title", TITLE) in head.meta
    # the abstract is on the page once, as text: not in meta tags or the BibTeX
    # block; its opening, escaped, is the description link previews show
    assert not any(name == "citation_abstract" for name, _ in head.meta)
    html = (hostile_site.site_dir / "papers" / slug / "index.html").read_text()
    assert html.count("&lt;/script&gt;&lt;!--") == 2 and "</script><!--" not in html
    [description] = [body for name, body in head.meta if name == "description"]
    assert len(description) <= DESCRIPTION and "</script><!--" in description
    assert ("og:title", TITLE) in head.meta and ("og:type", "article") in head.meta
    # the only scripts on the page are Material's own and ours: none injected
    assert not any("alert(" in body for _, body in head.scripts)


def test_ordinary_paper_has_no_invented_authors_or_dates(hostile_site):
    head = page_head(hostile_site, "a-second-paper-about-nothing-in-particular")
    names = [name for name, _ in head.meta if name.startswith("citation_")]
    assert names[0] == "citation_title"
    assert "citation_author" not in names and "citation_publication_date" not in names
