"""The tag taxonomy (`site_src/taxonomy.yaml`) and the rules that tag a paper with it.

A tag scores TITLE_WEIGHT per phrase found in the title and 1 per mention in the abstract
(at most 3); a paper gets every tag scoring THRESHOLD or more and at least RELATIVE of
its best tag's score, best first. A paper that no phrase matches borrows the most common
tag of its nearest papers in text. A rebuild reuses what it can (`cached_tags`)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context

from slugify import slugify

from generator.analyse.scores import text_neighbours
from generator.analyse.vectors import Vectors
from generator.cache import Cache, code_of, content_key, text_key
from generator.model import Paper, Tag
from generator.read.slugs import PAGE, RESERVED
from generator.read.text import config_yaml
from generator.report import Problem, Report

TITLE_WEIGHT = 3
THRESHOLD = 2
RELATIVE = 0.4  # a further tag needs this share of the best tag's score
MAX_TAGS = 6
NEIGHBOUR_VOTES = 5


def load_taxonomy(source: str, text: str, report: Report) -> tuple[Tag, ...]:
    """Parse the taxonomy; a malformed entry is reported with its line and skipped."""
    parsed = config_yaml(source, text, report)
    if parsed is None:
        return ()
    root, data = parsed[0], parsed[1] or {}
    tags: dict[str, Tag] = {}
    areas = data.get("areas") if isinstance(data, dict) else None
    if not isinstance(areas, list):
        report.fail(source, 1, "expected a top-level 'areas:' list of areas with 'tags:'.")
        return ()
    for area, area_node in zip(areas, _items(root, "areas"), strict=True):
        line = area_node.start_mark.line + 1
        if not isinstance(area, dict) or not isinstance(area.get("tags"), list):
            report.warn(source, line, f"area {area!r:.60} needs a 'name' and a 'tags' list.")
            continue
        for entry, node in zip(area["tags"], _items(area_node, "tags"), strict=True):
            line = node.start_mark.line + 1
            tag = _tag(source, str(area.get("name", "")), entry, line, report)
            if tag and tag.slug in tags:
                report.warn(source, line, f"tag {tag.name!r} is defined twice; rename one.")
            elif tag:
                tags[tag.slug] = tag
    return tuple(tags.values())


def _items(node: object, key: str) -> list:
    """The nodes of the list under `key` in a mapping node (the last, as YAML keeps it)."""
    found = [value for name, value in getattr(node, "value", ()) if name.value == key]
    return found[-1].value if found else []


def _tag(source: str, area: str, entry: object, line: int, report: Report) -> Tag | None:
    name = entry.get("name") if isinstance(entry, dict) else None
    if not isinstance(entry, dict) or not isinstance(name, str) or not name.strip():
        report.warn(source, line, f"tag entry {entry!r:.60} needs a 'name'.")
        return None
    match, title = (_phrases(source, entry, key, line, report) for key in ("match", "title"))
    slug = slugify(str(entry.get("slug") or entry["name"])) or "tag"
    if slug in RESERVED or PAGE.fullmatch(slug):  # tags/index/ is the Tags page
        report.warn(
            source,
            line,
            f"tag {entry['name']!r:.60} would take the page tags/{slug}/; "
            f"it is tags/{slug}-tag/. Give it another 'slug' to choose.",
        )
        slug += "-tag"
    return Tag(
        slug=slug,
        name=entry["name"],
        area=area,
        description=str(entry.get("description", "")),
        patterns=tuple(m.lower() for m in match),
        title_patterns=tuple(m.lower() for m in title),
    )


def _phrases(source: str, entry: dict, key: str, line: int, report: Report) -> list[str]:
    phrases = entry.get(key) or []
    if not isinstance(phrases, list) or not all(isinstance(m, str) for m in phrases):
        report.warn(source, line, f"tag {entry['name']!r}: {key!r} must be a list of phrases.")
        return []
    if dead := ", ".join(repr(m) for m in phrases if not _WORD.search(m.lower())):
        why = "hold no letter a-z or digit, which a phrase needs; ignored."
        report.warn(source, line, f"tag {entry['name']!r}: phrase(s) {dead:.80} in {key!r} {why}")
    return [m for m in phrases if _WORD.search(m.lower())]


_WORD = re.compile(r"[a-z0-9]+")


class _Text:
    """A lower-cased text and which phrase key words are in it: a phrase whose key word is not among
    its runs of letters and digits (nor, for `quantiz*`, a prefix of one) cannot match it."""

    def __init__(self, text: str, whole: frozenset[str], prefixes: tuple[str, ...]) -> None:
        self.text = text
        words = _WORD.findall(text)
        self.keys = set(whole.intersection(words))
        ordered = sorted(words)
        for key in prefixes:
            at = bisect_left(ordered, key)
            if at < len(ordered) and ordered[at].startswith(key):
                self.keys.add("*" + key)


@dataclass(frozen=True)
class _Phrase:
    """One phrase of a tag: the literal text, whether it ends in `*` (the word may go
    on), and its key word: its longest run of letters and digits (likely its rarest word),
    which any text the phrase matches contains."""

    literal: str
    prefix: bool
    key: str
    lookup: str  # how the key word is found in `_Text.keys`: "*quantiz" for a prefix


def _phrase(pattern: str) -> _Phrase:
    # A whole word is preferred to a prefix (`quantiz*`) as the key word.
    runs = [(m.group(), pattern[m.end() : m.end() + 1] == "*") for m in _WORD.finditer(pattern)]
    key, key_prefix = max(runs, key=lambda run: (not run[1], len(run[0])), default=("", True))
    lookup = "*" + key if key_prefix else key
    return _Phrase(pattern.removesuffix("*"), pattern.endswith("*"), key, lookup)


def _wordish(char: str) -> bool:
    return char.isalnum() or char in "_-"


def _present(text: _Text, phrases: list[_Phrase]) -> list[_Phrase]:
    """The phrases that may match `text` (their key word is in it), in taxonomy order."""
    return [p for p in phrases if p.lookup in text.keys]


def _matches(text: str, phrases: list[_Phrase], limit: int | None = None) -> list[str]:
    """The phrases found in `text`, in order, at most `limit`: a phrase not inside a longer word,
    the first phrase (in taxonomy order) that matches at the leftmost place, no overlaps; `quantiz*`
    runs to the end of its word. What a regular expression of the phrases would find, found with
    `str.find`: tagging a large catalogue was mostly the regular expressions' scanning."""
    starts: set[int] = set()
    for phrase in phrases:
        at = text.find(phrase.literal)
        while at != -1:
            if at == 0 or not _wordish(text[at - 1]):
                starts.add(at)
            at = text.find(phrase.literal, at + 1)
    found: list[str] = []
    done = 0
    for at in sorted(starts):
        if at < done:
            continue
        for phrase in phrases:
            if not text.startswith(phrase.literal, at):
                continue
            end = at + len(phrase.literal)
            if phrase.prefix:
                while end < len(text) and _wordish(text[end]):
                    end += 1
            elif end < len(text) and _wordish(text[end]):
                continue
            found.append(text[at:end])
            done = end
            break
        if limit is not None and len(found) >= limit:
            break
    return found


class Tagger:
    """Scores every tag for a paper from phrase matches in its title and abstract."""

    def __init__(self, tags: tuple[Tag, ...]) -> None:
        self.tags = tags
        self.phrases = {tag.slug: [_phrase(p) for p in tag.patterns] for tag in tags}
        self.title_phrases = {
            tag.slug: [_phrase(p) for p in tag.patterns + tag.title_patterns] for tag in tags
        }
        every = [p for phrases in self.title_phrases.values() for p in phrases]
        self.whole = frozenset(p.key for p in every if p.lookup == p.key)
        self.prefixes = tuple(sorted({p.key for p in every if p.lookup != p.key}))
        # Which tags each key word can start, so a paper looks only at those.
        self.by_key: dict[str, set[str]] = {}
        for tag in tags:
            for phrase in self.title_phrases[tag.slug]:
                self.by_key.setdefault(phrase.lookup, set()).add(tag.slug)

    def scores(self, paper: Paper) -> dict[str, int]:
        title = _Text(paper.title.lower(), self.whole, self.prefixes)
        abstract = _Text(paper.abstract.lower(), self.whole, self.prefixes)
        maybe = {slug for key in title.keys | abstract.keys for slug in self.by_key[key]}
        result = {}
        for tag in self.tags:
            if tag.slug not in maybe:
                continue
            in_title = _present(title, self.title_phrases[tag.slug])
            in_abstract = _present(abstract, self.phrases[tag.slug])
            score = TITLE_WEIGHT * len(set(_matches(title.text, in_title)))
            score += len(_matches(abstract.text, in_abstract, limit=3))
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
    papers: list[Paper],
    tags: tuple[Tag, ...],
    report: Report,
    vectors: Vectors | None = None,
    own: Mapping[str, tuple[str, ...]] | None = None,
) -> dict[str, tuple[str, ...]]:
    """Tag every paper. A paper no phrase matches takes the tag most shared by the papers
    closest to it in text; only if even that fails is it reported. `own` holds the
    phrase tags already known (by slug), `vectors` the papers' text vectors."""
    tagger = Tagger(tags)
    own = own or {}
    result = {
        paper.slug: own[paper.slug] if paper.slug in own else tagger.tag(paper) for paper in papers
    }
    untagged = [i for i, paper in enumerate(papers) if not result[paper.slug]]
    if tags and untagged:
        near_rows = text_neighbours(papers, untagged, NEIGHBOUR_VOTES, vectors)
        for i, near in zip(untagged, near_rows, strict=True):
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


def cached_tags(
    papers: Sequence[Paper],
    tags: tuple[Tag, ...],
    report: Report,
    cache: Cache,
    vectors: Vectors | None = None,
) -> dict[str, tuple[str, ...]]:
    """`tag_papers`, reused while papers, taxonomy and code are the same.

    Untagged papers borrow tags from their text neighbours, so the whole result is keyed by the
    whole catalogue (and the IDF reference). Each paper's own phrase tags are also kept by its text,
    so after a change only the new or changed papers run the tagger. The warnings the tagging raised
    are stored with the result and reported again."""
    code = [code_of("taxonomy", "scores", "vectors"), repr(tags)]
    parts = [*code, *((vectors and vectors.reference) or ())]
    parts += [text for paper in papers for text in (paper.slug, paper.title, paper.abstract)]

    def compute() -> tuple[dict[str, tuple[str, ...]], list[Problem]]:
        own = Report()
        phrase = _phrase_tags(papers, tags, cache, content_key(code), vectors)
        return tag_papers(list(papers), tags, own, vectors, phrase), own.problems

    result, problems = cache.get_or_compute("tags", content_key(parts), compute)
    report.problems.extend(problems)
    return result


def _phrase_tags(
    papers: Sequence[Paper], tags: tuple[Tag, ...], cache: Cache, code: str, vectors: Vectors | None
) -> dict[str, tuple[str, ...]]:
    """Each paper's phrase tags by slug, kept by its title and abstract; the entry then holds
    exactly these papers. New papers are tagged in another process while this one makes the text
    vectors: both are pure Python, and two cores nearly halve them (ARCHITECTURE.md, "Tags")."""
    known = cache.load("tagger", code, dict) or {}
    texts = [text_key(paper.title, paper.abstract) for paper in papers]
    new = {text: paper for text, paper in zip(texts, papers, strict=True) if text not in known}
    if new:
        with ProcessPoolExecutor(1, mp_context=get_context("fork")) as pool:
            tagging = pool.submit(_tag_all, tags, list(new.values()))
            if vectors is not None:
                vectors.of(papers)  # meanwhile
            known.update(zip(new, tagging.result(), strict=True))
    cache.save("tagger", code, {text: known[text] for text in texts})
    return {paper.slug: known[text] for paper, text in zip(papers, texts, strict=True)}


def _tag_all(tags: tuple[Tag, ...], papers: list[Paper]) -> list[tuple[str, ...]]:
    tagger = Tagger(tags)
    return [tagger.tag(paper) for paper in papers]


def _vote(neighbour_tags: list[tuple[str, ...]]) -> tuple[str, ...]:
    """The tag most common among neighbours, nearer neighbours and better tags first."""
    votes: dict[str, float] = {}
    for rank, tags in enumerate(neighbour_tags):
        for position, tag in enumerate(tags):
            votes[tag] = votes.get(tag, 0.0) + 1.0 / (1 + rank) / (1 + position)
    return (min(votes, key=lambda tag: (-votes[tag], tag)),) if votes else ()
