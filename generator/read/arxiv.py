"""arXiv identifiers: which strings are valid ids, and the pages an id points at.

Two schemes exist (https://info.arxiv.org/help/arxiv_identifier.html): since April 2007 `YYMM.NNNN`
(four digits until 2014, five from 2015), before that `archive/YYMMNNN` (`hep-th/9901001`,
`math.GT/0309136`); either may end in a version `vN`."""

from __future__ import annotations

import re

_NEW = re.compile(r"(?P<yy>\d{2})(?P<mm>\d{2})\.(?P<num>\d{4,5})(?P<version>v[1-9]\d*)?", re.ASCII)
_OLD = re.compile(
    r"(?P<archive>[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?)/(?P<yy>\d{2})(?P<mm>\d{2})(?P<num>\d{3})"
    r"(?P<version>v[1-9]\d*)?",
    re.ASCII,
)
_PREFIX = re.compile(r"^arxiv:\s*", re.IGNORECASE)
EXPECTED = "an arXiv id like 2307.03381, 2307.03381v2 or hep-th/9901001"


def parse_arxiv_id(text: str) -> str | None:
    """The id in canonical form (an `arXiv:` prefix dropped), or None if it is not one."""
    candidate = _PREFIX.sub("", text.strip())
    new = _NEW.fullmatch(candidate)
    if new:
        year, month = int(new["yy"]), int(new["mm"])
        # Four-digit numbers ran from 0704 to 1412, five-digit ones from 1501 on.
        digits = 4 if year < 15 else 5
        valid = 1 <= month <= 12 and (year, month) >= (7, 4) and len(new["num"]) == digits
        return candidate if valid else None
    old = _OLD.fullmatch(candidate)
    # The old scheme ran from August 1991 to March 2007.
    if old and 1 <= int(old["mm"]) <= 12 and (int(old["yy"]) >= 91 or int(old["yy"]) <= 7):
        return candidate
    return None


def base_id(arxiv_id: str) -> str:
    """The id without its version: the paper rather than one revision of it."""
    return re.sub(r"v[1-9]\d*$", "", arxiv_id)


def abs_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{arxiv_id}"


def pdf_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/pdf/{arxiv_id}"


def hf_paper_url(arxiv_id: str) -> str | None:
    """The Hugging Face paper page; it exists only for new-scheme ids."""
    return None if "/" in arxiv_id else f"https://huggingface.co/papers/{base_id(arxiv_id)}"
