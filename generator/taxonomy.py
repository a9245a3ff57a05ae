"""The tag taxonomy (`site_src/taxonomy.yaml`) and the rules that tag a paper with it."""

from __future__ import annotations

import re
from collections.abc import Iterable

import yaml
from slugify import slugify

from generator.model import Paper, Tag
from generator.report import Report

TITLE_WEIGHT = 3
THRESHOLD = 2
MAX_TAGS = 6


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
    match = entry.get("match") or []
    if not isinstance(match, list) or not all(isinstance(m, str) for m in match):
        report.warn(source, 0, f"tag {entry['name']!r}: 'match' must be a list of phrases.")
        match = []
    slug = slugify(str(entry.get("slug") or entry["name"])) or "tag"
    return Tag(
        slug=slug,
        name=entry["name"],
        area=area,
        description=str(entry.get("description", "")),
        patterns=tuple(m.lower() for m in match),
    )


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


class Tagger:
    """Scores every tag for a paper from phrase matches in its title and abstract."""

    def __init__(self, tags: tuple[Tag, ...]) -> None:
        self.tags = tags
        self.patterns = {tag.slug: _compile(tag.patterns) for tag in tags}

    def scores(self, paper: Paper) -> dict[str, int]:
        title, abstract = paper.title.lower(), paper.abstract.lower()
        result = {}
        for tag in self.tags:
            pattern = self.patterns[tag.slug]
            if pattern is None:
                continue
            score = TITLE_WEIGHT * len(set(pattern.findall(title)))
            score += min(3, len(pattern.findall(abstract)))
            if score:
                result[tag.slug] = score
        return result

    def tag(self, paper: Paper) -> tuple[str, ...]:
        """Tags that pass the threshold, best first, 1 to MAX_TAGS (none if nothing matches)."""
        scores = self.scores(paper)
        ranked = sorted(scores, key=lambda slug: (-scores[slug], slug))
        chosen = [slug for slug in ranked if scores[slug] >= THRESHOLD][:MAX_TAGS]
        return tuple(chosen or ranked[:1])


def tag_papers(
    papers: list[Paper], tags: tuple[Tag, ...], report: Report
) -> dict[str, tuple[str, ...]]:
    """Tag every paper; a paper no tag matches is reported so the taxonomy can grow."""
    tagger = Tagger(tags)
    result = {}
    for paper in papers:
        result[paper.slug] = tagger.tag(paper)
        if tags and not result[paper.slug]:
            source, line = paper.sources[0]
            report.warn(
                source,
                line,
                f"no tag matches {paper.title[:60]!r}; add a phrase "
                "from its title to a tag's 'match' list in site_src/taxonomy.yaml.",
            )
    return result
