"""Record in, exact Markdown out; and escaping of anything the input smuggles in."""

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from generator.model import Listing, Record, Tag
from generator.pipeline import relate, tag_catalogue
from generator.read.merge import merge_papers
from generator.render.escape import md_inline
from generator.render.pages import render_paper
from generator.report import Report

TAGS = (Tag("arithmetic", "Arithmetic", "Reasoning", "Numbers.", ("arithmetic",)),)


def catalogue_of(*records: tuple[str, str]):
    listing = Listing(
        "l1",
        "l1",
        "l1.txt",
        "Mar 19",
        tuple(Record(t, a, "l1.txt", 11 + 4 * n) for n, (t, a) in enumerate(records)),
    )
    report = Report()
    return relate(tag_catalogue([listing], merge_papers([listing], report), TAGS, report))


def test_paper_page_markdown_exactly():
    catalogue = catalogue_of(
        (
            "Teaching Arithmetic to Small Transformers",
            r"We teach arithmetic to 50\% of models. Code: https://github.com/a/b.",
        ),
        ("Arithmetic Without Tears", "Arithmetic again, and more arithmetic."),
    )
    paper = catalogue.by_slug["teaching-arithmetic-to-small-transformers"]
    assert (
        render_paper(catalogue, paper)
        == """\
---
hide:
- navigation
- toc
paper:
  citation:
  - [citation_title, "Teaching Arithmetic to Small Transformers"]
  description: "We teach arithmetic to 50% of models. Code: https://github.com/a/b."
search:
  boost: 2
---

# Teaching Arithmetic to Small Transformers { #paper }

Listed Mar 19 (capture date)
{: .paper-facts }

[Arithmetic](../tags/arithmetic.md){ .tag }

## Abstract

We teach arithmetic to 50% of models\\. Code&#58; https&#58;//github\\.com/a/b\\.

## Links { data-search-exclude }

- <span class="twemoji"><svg class="cat-icon cat-icon--github" viewBox="0 0 24 24"></svg>\
</span> Code: <a href="https://github.com/a/b" rel="nofollow">a/b</a>

## Find it elsewhere { data-search-exclude }

<a href="https://arxiv.org/search/?query=Teaching+Arithmetic+to+Small+Transformers\
&amp;searchtype=title" rel="nofollow">arXiv search</a> · \
<a href="https://www.semanticscholar.org/search?q=Teaching+Arithmetic+to+Small+Transformers" \
rel="nofollow">Semantic Scholar</a> · \
<a href="https://huggingface.co/papers?q=Teaching+Arithmetic+to+Small+Transformers" \
rel="nofollow">Hugging Face Papers</a> · \
<a href="https://scholar.google.com/scholar?q=Teaching+Arithmetic+to+Small+Transformers" \
rel="nofollow">Google Scholar</a>

## Related papers { data-search-exclude }

1. [Arithmetic Without Tears](arithmetic-without-tears.md) <small>shared tags: Arithmetic · \
shared terms: arithmetic</small>

## Appeared in { data-search-exclude }

- [Mar 19 · Arithmetic](../listings/l1.md)

## Cite { data-search-exclude }

``` text
@misc{teaching-arithmetic-to-small-transformers,
  title = {{Teaching Arithmetic to Small Transformers}},
}
```
"""
    )


def test_md_inline_neutralises_markup():
    assert (
        md_inline("<script>alert('x')</script>")
        == "&lt;script&gt;alert\\(&#39;x&#39;\\)&lt;/script&gt;"
    )
    assert md_inline("# *a* _b_ `c` [d](e) {: .x} | ~~f~~ :smile:") == (
        "\\# \\*a\\* \\_b\\_ \\`c\\` \\[d\\]\\(e\\) \\{&#58; \\.x\\} &#124; "
        "&#126;&#126;f&#126;&#126; "
        "&#58;smile&#58;"
    )
    assert md_inline("line\nbreak\r\n\tand tab") == "line break and tab"


FOLDER = st.lists(  # "paper" and "tagsx" share a prefix with a folder but are not in it
    st.sampled_from(["papers", "paper", "tags", "tagsx", "x", "page-2", "listings"]), max_size=3
)


@given(target=FOLDER, name=st.sampled_from(["a.md", "index.md", "page-2.md"]), folder=FOLDER)
def test_relative_links_equal_posix_relpath(target, name, folder):
    from generator.render.pages import _relative

    path, base = "/".join([*target, name]), "/".join(folder) or "."
    assert _relative(path, base) == posixpath.relpath(path, base)
