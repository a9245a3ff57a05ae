"""Every built page: one h1, headings that never skip a level, images with alt text."""

import re
from itertools import pairwise

import pytest

pytestmark = pytest.mark.slow

ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
HEADING = re.compile(r"<h([1-6])\b")


def test_headings_in_order_and_images_described(seed_build):
    project, _ = seed_build
    pages = sorted(project.site_dir.rglob("*.html"))
    assert len(pages) > 250
    problems = []
    for path in pages:
        html = path.read_text()
        article = ARTICLE.search(html)
        if article is None:
            continue
        levels = [int(level) for level in HEADING.findall(article.group(1))]
        name = path.relative_to(project.site_dir).as_posix()
        if levels[:1] != [1] or levels.count(1) != 1:
            problems.append(f"{name}: headings {levels}")
        problems += [f"{name}: h{a} then h{b}" for a, b in pairwise(levels) if b > a + 1]
        problems += [
            f"{name}: {img[:80]}" for img in re.findall(r"<img\b[^>]*>", html) if " alt=" not in img
        ]
    assert problems == []
