"""Paper pages from stamps (generator.stamp) equal pages rendered through the theme: with
hand-made templates over arbitrary text, and in a real large-mode build of the seeds and
the hostile corpus."""

import logging
import re
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.structure.toc import AnchorLink

from generator.pipeline import build
from generator.stamp import Stamps, learn, parts
from tests.test_scale_build import html_files, pagefind_project, with_workers

ENV = jinja2.Environment(autoescape=False)
# What Material and main.html do with a page's values: print as they are, escape,
# striptags then escape, JSON, test the body for <h1>, print the canonical URL.
GOOD = ENV.from_string(
    "<title>{{ page.title | striptags | e }} - Site</title>"
    '<link rel="canonical" href="{{ page.canonical_url }}">'
    "{% for item in page.meta.paper.citation %}"
    '<meta name="{{ item[0] | e }}" content="{{ item[1] | e }}">{% endfor %}'
    "<script>{{ page.meta.paper.jsonld | tojson }}</script>"
    '<a href="{{ (page.toc | first).url }}">skip</a>'
    "<header>{{ page.title }}</header>"
    '{% for item in page.toc %}<a href="{{ item.url }}">{{ item.title }}</a>'
    '{% for child in item.children %}<a href="{{ child.url }}">{{ child.title }}</a>'
    "{% endfor %}{% endfor %}"
    '{% if "\\x3ch1" not in page.content %}<h1>{{ page.title }}</h1>{% endif %}'
    "<article>{{ page.content }}</article>"
)

text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)


def page(title: str, author: str, slug: str, sections: tuple[str, ...] = ("Abstract",)):
    toc = AnchorLink(title, slug, 1)
    toc.children = [AnchorLink(name, f"s{n}", 2) for n, name in enumerate(sections)]
    return SimpleNamespace(
        content=f"<h1>{title}</h1><p>{author}</p>",
        title=title,
        toc=[toc],
        meta={
            "hide": ["navigation"],
            "paper": {
                "citation": [["citation_title", title], ["citation_author", author]],
                "jsonld": {"name": title, "author": [author], "url": f"https://x.org/{slug}/"},
            },
        },
        url=f"papers/{slug}/",
        canonical_url=f"https://x.org/papers/{slug}/",
        abs_url=f"/papers/{slug}/",
        is_homepage=False,
        edit_url=None,
        previous_page=None,
        next_page=None,
        parent=None,
    )


def render_with(template: jinja2.Template):
    return lambda page: template.render(page=page)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(text, text), min_size=3, max_size=6))
def test_stamped_pages_equal_rendered_ones_for_any_text(values):
    stamps, render = Stamps(), render_with(GOOD)
    for number, (title, author) in enumerate(values):
        one = page(title, author, f"paper-{number}")
        assert stamps.html(one, render) == render(one)
    assert stamps.stamped == len(values) - 2  # the first two are rendered, to check


def test_a_page_of_another_shape_gets_a_stamp_of_its_own():
    stamps, render = Stamps(), render_with(GOOD)
    pages = [page("A <b>", "x", "a"), page("B", "y", "b"), page("C & D", "z", "c")]
    two = ("Abstract", "Related <papers>")
    pages += [page("E", "u", "e", two), page("F", "v", "f", ("Résumé", "Cite"))]
    for one in [*pages, page("G", "w", "g", ("Ré",)), page("H", "w", "h", two)]:
        assert stamps.html(one, render) == render(one)
    assert stamps.stamped == 3  # C, G, H
    assert len(stamps.shapes) == 2


@pytest.mark.parametrize(
    "source",
    [
        "<title>{{ page.title | upper }}</title>{{ page.content }}",  # no known transform
        "<title>{{ page.title[:5] }}</title>{{ page.content }}",  # part of a value
        "{{ page.content | length }}{{ page.content }}",  # something made of a value
    ],
)
def test_a_template_doing_more_than_printing_values_is_rendered_every_time(source):
    template = ENV.from_string(source)
    one = page("Quantum <i>Widgets</i>", "Ann", "quantum-widgets")
    found = parts(one)
    assert found is not None
    assert learn(one, len(found[1]), render_with(template)) is None
    stamps = Stamps()
    for number in range(4):
        other = page(f"Paper {number} & more", "Bo", f"p{number}")
        assert stamps.html(other, render_with(template)) == render_with(template)(other)
    assert stamps.stamped == 0


def test_a_stamp_that_fails_its_check_is_dropped():
    """The stamp learnt on the first page must reproduce the second: a template whose
    output depends on something the stamp does not know (here a counter) fails."""
    calls = iter(range(1000))
    template = ENV.from_string("{{ page.content }}<footer>{{ next() }}</footer>")
    render = lambda p: template.render(page=p, next=lambda: next(calls) // 3)  # noqa: E731
    stamps = Stamps()
    for number in range(5):
        one = page(f"T{number}", "a", f"t{number}")
        stamps.html(one, render)
    assert stamps.stamped == 0 and all(s.stamp is None for s in stamps.shapes.values())


def test_pages_in_the_nav_or_without_paper_front_matter_are_not_stamped():
    one = page("A", "b", "a")
    assert parts(one) is not None
    assert parts(SimpleNamespace(**{**vars(one), "next_page": object()})) is None
    assert parts(SimpleNamespace(**{**vars(one), "meta": {"hide": ["toc"]}})) is None


def without_stamps(project):
    text = project.config_file.read_text()
    off = text.replace("    workers: 1\n", "    workers: 1\n    stamps: false\n")
    assert off != text
    project.config_file.write_text(off)
    return project


@pytest.mark.slow
def test_stamped_build_equals_a_build_through_the_theme(tmp_path: Path, caplog):
    from tests import hostile

    projects = []
    for name in ("stamped", "themed"):
        project = with_workers(pagefind_project(tmp_path / name), 1)
        hostile.write(project.listings_dir)
        projects.append(project)
    stamped, themed = projects[0], without_stamps(projects[1])
    # The stamped build also keeps every page's HTML compressed until it is written, as
    # large shares do: that too must give the same bytes.
    text = stamped.config_file.read_text()
    stamped.config_file.write_text(
        text.replace("    workers: 1\n", "    workers: 1\n    shelve_above: 0\n")
    )
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        build(stamped)
    line = next(r.getMessage() for r in caplog.records if "from stamps" in r.getMessage())
    build(themed)
    unkeyed = re.compile(rb"<!-- page-key [0-9a-f]+ -->\n$")
    got = {k: unkeyed.sub(b"", v) for k, v in html_files(stamped.site_dir).items()}
    want = {k: unkeyed.sub(b"", v) for k, v in html_files(themed.site_dir).items()}
    papers = [name for name in want if name.startswith("papers/") and "/page-" not in name]
    assert sorted(got) == sorted(want) and len(papers) > 250
    assert [name for name in want if got[name] != want[name]] == []
    count = int(re.search(r"(\d+) from stamps", line).group(1))
    assert count > len(papers) * 0.8, line
