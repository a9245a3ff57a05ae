"""The tag taxonomy (`site_src/taxonomy.yaml`) and the rules that tag a paper with it.

A tag scores TITLE_WEIGHT per phrase found in the title and 1 per mention in the abstract
(at most 3); a paper gets every tag scoring THRESHOLD or more and at least RELATIVE of
its best tag's score, best first. A paper that no phrase matches borrows the most common
tag of its nearest papers in text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import yaml
from slugify import slugify

from generator.model import Paper, Tag
from generator.related import text_neighbours
from generator.report import Report

TITLE_WEIGHT = 3
THRESHOLD = 2
RELATIVE = 0.4  # a further tag needs this share of the best tag's score
MAX_TAGS = 6
NEIGHBOUR_VOTES = 5


def load_taxonomy(source: str, text: str, report: Report) -> tuple[Tag, ...]:
    """Parse the taxonomy; a malformed entry is reported and skipped."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        report.warn(
            source,
            mark.line + 1 if mark else 0,
            f"not valid YAML ({error}); no tags are assigned until it is fixed.",
        )
        return ()
    tags: list[Tag] = []
    seen: set[str] = set()
    areas = data.get("areas") if isinstance(data, dict) else None
    if not isinstance(areas, list):
        report.warn(source, 0, "expected a top-level 'areas:' list of areas with 'tags:'.")
        return ()
    for area in areas:
        if not isinstance(area, dict) or not isinstance(area.get("tags"), list):
            report.warn(source, 0, f"area {area!r:.60} needs a 'name' and a 'tags' list.")
            continue
        area_name = str(area.get("name", ""))
        for entry in area["tags"]:
            tag = _tag(source, area_name, entry, report)
            if tag and tag.slug in seen:
                report.warn(source, 0, f"tag {tag.name!r} is defined twice; rename one.")
            elif tag:
                seen.add(tag.slug)
                tags.append(tag)
    return tuple(tags)


def _tag(source: str, area: str, entry: object, report: Report) -> Tag | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        report.warn(source, 0, f"tag entry {entry!r:.60} needs a 'name'.")
        return None
    match, title = (_phrases(source, entry, key, report) for key in ("match", "title"))
    slug = slugify(str(entry.get("slug") or entry["name"])) or "tag"
    return Tag(
        slug=slug,
        name=entry["name"],
        area=area,
        description=str(entry.get("description", "")),
        patterns=tuple(m.lower() for m in match),
        title_patterns=tuple(m.lower() for m in title),
    )


def _phrases(source: str, entry: dict, key: str, report: Report) -> list[str]:
    phrases = entry.get(key) or []
    if not isinstance(phrases, list) or not all(isinstance(m, str) for m in phrases):
        report.warn(source, 0, f"tag {entry['name']!r}: {key!r} must be a list of phrases.")
        return []
    return phrases


def _compile(patterns: Iterable[str]) -> re.Pattern[str] | None:
    parts = []
    for phrase in patterns:
        if phrase.endswith("*"):
            parts.append(re.escape(phrase[:-1]) + r"[\w-]*")
        else:
            parts.append(re.escape(phrase))
    if not parts:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")


_WORD = re.compile(r"[a-z0-9]+")


def _key_word(phrase: str) -> tuple[str, bool]:
    """The longest run of letters and digits in a phrase (likely its rarest word), and
    whether it is only a prefix (`quantiz*`). Any text the phrase matches contains it."""
    runs = [(m.group(), phrase[m.end() : m.end() + 1] == "*") for m in _WORD.finditer(phrase)]
    if not runs:
        return "", True
    return max(runs, key=lambda run: (not run[1], len(run[0])))


class _Words:
    """The runs of letters and digits in a text, and their prefixes. A tag none of whose
    phrases' key words is among them cannot match, and is skipped without running its
    regular expression (which is most tags for most papers)."""

    def __init__(self, text: str) -> None:
        self.words = frozenset(_WORD.findall(text))
        self.prefixes = frozenset(w[:n] for w in self.words for n in range(1, len(w) + 1))

    def may_match(self, starts: tuple[frozenset[str], frozenset[str]]) -> bool:
        words, prefixes = starts
        return not words.isdisjoint(self.words) or not prefixes.isdisjoint(self.prefixes)


def _starts(phrases: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The key words of `phrases`: those matched whole, and those matched as prefixes."""
    firsts = [_key_word(p) for p in phrases]
    return (
        frozenset(w for w, prefix in firsts if not prefix),
        frozenset(w for w, prefix in firsts if prefix),
    )


class Tagger:
    """Scores every tag for a paper from phrase matches in its title and abstract."""

    def __init__(self, tags: tuple[Tag, ...]) -> None:
        self.tags = tags
        self.patterns = {tag.slug: _compile(tag.patterns) for tag in tags}
        self.title_patterns = {
            tag.slug: _compile(tag.patterns + tag.title_patterns) for tag in tags
        }
        self.starts = {tag.slug: _starts(tag.patterns) for tag in tags}
        self.title_starts = {tag.slug: _starts(tag.patterns + tag.title_patterns) for tag in tags}

    def scores(self, paper: Paper) -> dict[str, int]:
        title, abstract = paper.title.lower(), paper.abstract.lower()
        title_words, abstract_words = _Words(title), _Words(abstract)
        result = {}
        for tag in self.tags:
            in_title, in_abstract = self.title_patterns[tag.slug], self.patterns[tag.slug]
            score = 0
            if in_title and title_words.may_match(self.title_starts[tag.slug]):
                score += TITLE_WEIGHT * len(set(in_title.findall(title)))
            if in_abstract and abstract_words.may_match(self.starts[tag.slug]):
                score += min(3, len(in_abstract.findall(abstract)))
            if score:
                result[tag.slug] = score
        return result

    def tag(self, paper: Paper) -> tuple[str, ...]:
        """Tags that pass the threshold, best first, 1 to MAX_TAGS (none if nothing matches).

        A tag mentioned in passing (far below the paper's main topic) is left out."""
        scores = self.scores(paper)
        ranked = sorted(scores, key=lambda slug: (-scores[slug], slug))
        floor = max(THRESHOLD, RELATIVE * scores[ranked[0]]) if ranked else THRESHOLD
        chosen = [slug for slug in ranked if scores[slug] >= floor][:MAX_TAGS]
        return tuple(chosen or ranked[:1])


def tag_papers(
    papers: list[Paper], tags: tuple[Tag, ...], report: Report
) -> dict[str, tuple[str, ...]]:
    """Tag every paper. A paper no phrase matches takes the tag most shared by the papers
    closest to it in text; only if even that fails is it reported."""
    tagger = Tagger(tags)
    result = {paper.slug: tagger.tag(paper) for paper in papers}
    untagged = [i for i, paper in enumerate(papers) if not result[paper.slug]]
    if tags and untagged:
        for i, near in zip(
            untagged, text_neighbours(papers, untagged, NEIGHBOUR_VOTES), strict=True
        ):
            result[papers[i].slug] = _vote([result[papers[j].slug] for j in near])
    for paper in papers:
        if tags and not result[paper.slug]:
            source, line = paper.sources[0]
            report.warn(
                source,
                line,
                f"no tag matches {paper.title[:60]!r}; add a phrase "
                "from its title to a tag's 'match' list in site_src/taxonomy.yaml.",
            )
    return result


def _vote(neighbour_tags: list[tuple[str, ...]]) -> tuple[str, ...]:
    """The tag most common among neighbours, nearer neighbours and better tags first."""
    votes: dict[str, float] = {}
    for rank, tags in enumerate(neighbour_tags):
        for position, tag in enumerate(tags):
            votes[tag] = votes.get(tag, 0.0) + 1.0 / (1 + rank) / (1 + position)
    if not votes:
        return ()
    return (min(votes, key=lambda tag: (-votes[tag], tag)),)
