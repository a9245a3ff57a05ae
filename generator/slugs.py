"""Page names for papers: stable, unique, never empty, safe as a path segment."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from slugify import slugify

SLUG_MAX = 80


def base_slug(title: str) -> str:
    """The slug a title asks for; a hash-based fallback when no letter survives."""
    slug = slugify(title, max_length=SLUG_MAX, word_boundary=True, save_order=True)
    return slug or "paper-" + short_hash(title)


def short_hash(text: str, length: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def assign_slugs(
    keys: list[str], titles: dict[str, str], taken: Iterable[str] = ()
) -> dict[str, str]:
    """Map each paper key to a unique slug.

    `keys` come in input order; on a collision the first keeps the plain slug and the
    others get a suffix made from their own key, so a paper's slug does not depend on
    which other papers happen to be in the catalogue. Slugs in `taken` (already given to
    other papers) are treated as taken by papers before these.
    """
    taken = set(taken)
    slugs: dict[str, str] = {}
    for key in keys:
        slug = base_slug(titles[key])
        if slug in taken:
            stem = slug[: SLUG_MAX - 9].rstrip("-")
            slug = f"{stem}-{short_hash(key)}"
            bump = 1
            while slug in taken:  # a hash clash too: count up, still deterministic
                bump += 1
                slug = f"{stem}-{short_hash(key)}-{bump}"
        taken.add(slug)
        slugs[key] = slug
    return slugs
