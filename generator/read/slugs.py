"""Page names for papers and listings: stable, unique, never empty, safe as a path segment."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import replace

from slugify import slugify

from generator.model import Listing

SLUG_MAX = 80
# Each section's own index page lives beside the paper/listing pages: never give it away.
RESERVED = frozenset({"index"})
# papers/page-2/, papers/page-3/... are the Papers index's later pages (paginate.py).
PAGE = re.compile(r"page-[0-9]+")


def base_slug(title: str) -> str:
    """The slug a title asks for; a hash-based fallback when no letter survives."""
    slug = slugify(title, max_length=SLUG_MAX, word_boundary=True, save_order=True)
    return slug or "paper-" + short_hash(title)


def short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def assign_slugs(
    keys: list[str], titles: dict[str, str], taken: Iterable[str] = ()
) -> dict[str, str]:
    """Map each paper key to a unique slug. `keys` come in input order; on a collision the
    first keeps the plain slug and the others get a suffix made from their own key, so a
    paper's slug does not depend on which other papers are in the catalogue. Slugs in
    `taken` (already given to other papers) are treated as taken by papers before these."""
    taken = set(RESERVED) | set(taken)
    return {key: unique_slug(base_slug(titles[key]), key, taken) for key in keys}


def unique_slug(slug: str, key: str, taken: set[str]) -> str:
    """`slug`, or when taken a suffix made from `key`; the result is added to `taken`."""
    if slug in taken or PAGE.fullmatch(slug):
        stem = slug[: SLUG_MAX - 9].rstrip("-")
        slug = f"{stem}-{short_hash(key)}"
        bump = 1
        while slug in taken:  # a hash clash too: count up, still deterministic
            bump += 1
            slug = f"{stem}-{short_hash(key)}-{bump}"
    taken.add(slug)
    return slug


def unique_listing_slugs(listings: list[Listing]) -> list[Listing]:
    """Listings whose file names slugify alike (`a b.txt`, `a-b.txt`, `x/a.txt`) each
    keep a page of their own: later ones get a suffix made from their source path."""
    taken = set(RESERVED)
    return [replace(item, slug=unique_slug(item.slug, item.source, taken)) for item in listings]
