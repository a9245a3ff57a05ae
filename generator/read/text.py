"""Text clean-up for scraped abstracts: flattened LaTeX, links, title identity.

Every function here takes and returns plain text; escaping for output is `render`'s job."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.model import Link
from generator.report import Report

# What each LaTeX command prints, as name=text.
_SYMBOL_TABLE = """
times=× approx=≈ sim=~ leq=≤ le=≤ geq=≥ ge=≥ neq=≠ pm=± cdot=· rightarrow=→ to=→
leftarrow=← infty=∞ ll=≪ gg=≫ alpha=α beta=β gamma=γ delta=δ epsilon=ε theta=θ lambda=λ
mu=μ pi=π sigma=σ tau=τ phi=φ psi=ψ omega=ω Omega=Ω Phi=Φ Psi=Ψ Delta=Δ Theta=Θ log=log
top=ᵀ textgreater=> textless=< ldots=… dots=… eg=e.g. ie=i.e. etc=etc. circ=∘ in=∈ sqrt=√
otimes=⊗ oplus=⊕
"""
_SYMBOLS: dict[str, str] = dict(re.findall(r"(\w+)=(\S+)", _SYMBOL_TABLE))
_STYLE = r"(?:sc|bf|em|it|tt|rm|sf|small|large)"
_TEXT_CMD = r"(?:textbf|textit|texttt|textsc|emph|mathrm|mathbf|mathit|text|mathcal|operatorname)"

_STYLED_GROUP = re.compile(r"\{\\" + _STYLE + r"\s+([^{}]*)\}")
_TEXT_COMMAND = re.compile(r"\\" + _TEXT_CMD + r"\s*\{([^{}]*)\}")
_ESCAPED_CHAR = re.compile(r"\\([%&_#$])")
_SYMBOL = re.compile(r"\\([A-Za-z]+)(?![A-Za-z])\s?")
# Bounded, and never across another `\(`: an unclosed one must not make a huge abstract
# quadratic.
_INLINE_MATH = re.compile(r"\\\(\s*((?:(?!\\\().){0,200}?)\s*\\\)")
_DOLLAR_MATH = re.compile(r"\$([^$\n]{1,80})\$")
_STRAY_DOLLAR = re.compile(r"(?<=[\d%×)}])\$|\$(?=[\d\\(])")
_FLAT_TIMES = re.compile(r"(?<=\d)times\b")  # `2\times` after the scraper lost the backslash
_FLAT_OTIMES = re.compile(r"(?<=[A-Za-z0-9])otimes(?=[A-Z0-9])")
_FLAT_SIM = re.compile(r"(?<![A-Za-z])sim(?=\d)")
_FLAT_MATHCAL = re.compile(r"(?<![A-Za-z\\])mathcal\{([^{}]{0,40})\}")
_FLAT_LEFT_RIGHT = re.compile(r"([A-Za-z0-9}])left([(\[])([^()\[\]]{0,80}?)right([)\]])")
_TILDE_SPACE = re.compile(r"(?<=[A-Za-z)])~(?=[(A-Za-z])")
_OPENING_QUOTES = re.compile(r"(?:(?<=\s)|(?<=^)|(?<=\())''(?=\S)")  # `''word''`: the first opens
_SPACES = re.compile(r"\s+")
# Dropped from titles, their identity and abstracts: zero-width spaces, soft hyphens, stray
# BOMs, and bidi overrides and isolates (which reorder the page around a title).
_INVISIBLE = dict.fromkeys(
    [0xAD, 0x200B, 0x2060, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)


def clean_abstract(text: str) -> str:
    """Turn flattened LaTeX into readable text: `50\\%` -> `50%`, `{\\sc X}` -> `X`."""
    text = text.translate(_INVISIBLE)
    # Each pattern needs a character most abstracts lack: it runs only when that is there.
    if "\\" in text:
        text = _INLINE_MATH.sub(r"\1", text)
    if "$" in text:
        text = _DOLLAR_MATH.sub(r"\1", text)
    for _ in range(3):  # nested groups unwrap from the inside out
        if "\\" not in text:
            break
        text = _TEXT_COMMAND.sub(r"\1", _STYLED_GROUP.sub(r"\1", text))
    if "\\" in text:
        text = _SYMBOL.sub(_symbol, _ESCAPED_CHAR.sub(r"\1", text))
    if "$" in text:
        text = _STRAY_DOLLAR.sub("", text)
    # LaTeX whose backslashes the scraper lost: `3.72sim4.11times` -> `3.72~4.11×`,
    # `mathcal{O}(n)` -> `O(n)`, `Oleft(n^2right)` -> `O(n^2)`, `LLMotimesKG` -> `LLM⊗KG`.
    if "times" in text:
        text = _FLAT_OTIMES.sub("⊗", _FLAT_TIMES.sub("×", text))
    if "sim" in text:
        text = _FLAT_SIM.sub("~", text)
    if "mathcal{" in text:
        text = _FLAT_MATHCAL.sub(r"\1", text)
    if "left" in text:
        text = _FLAT_LEFT_RIGHT.sub(r"\1\2\3\4", text)
    if "~" in text:
        text = _TILDE_SPACE.sub(" ", text)
    if "''" in text or "``" in text:
        text = _OPENING_QUOTES.sub("“", text.replace("``", "“")).replace("''", "”")
    return _SPACES.sub(" ", text).strip()


def _symbol(match: re.Match[str]) -> str:
    symbol = _SYMBOLS.get(match.group(1))
    if symbol is None:  # an author's own macro (`\model`): its name, without the backslash
        return match.group(0)[1:]
    # A word (`log`, `e.g.`) keeps the space the pattern took after the command; so does a
    # sign with a space before it (`a \otimes b`), not one written tight (`2\times 3`).
    start = match.start()
    spaced = len(symbol) > 1 or (start > 0 and match.string[start - 1].isspace())
    return symbol + " " if spaced and match.group(0).endswith(" ") else symbol


def clean_title(raw: str) -> str:
    """Collapse white space, drop invisible characters; otherwise exactly as written."""
    return _SPACES.sub(" ", raw.translate(_INVISIBLE)).strip()


def title_key(title: str) -> str:
    """The identity of a paper: its title folded to lower-case words ("Teaching Arithmetic
    to Small Transformers" and "teaching  arithmetic to small transformers." are one)."""
    folded = unicodedata.normalize("NFKC", title.translate(_INVISIBLE)).casefold()
    words = re.findall(r"\w+", folded)
    return " ".join(words) if words else folded.strip()


# A URL, with or without scheme; the scraped text glues punctuation onto its end.
_URL = re.compile(
    r"(?:https?://|(?<![\w@/.])(?:www\.|github\.com/|huggingface\.co/|gitlab\.com/))"
    r"[^\s<>\"'`{}|\\^]+",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?'\"*"
_CODE_HOSTS = ("github.com", "gitlab.com", "gitee.com", "bitbucket.org", "codeberg.org")


def extract_links(text: str) -> tuple[Link, ...]:
    """Find the URLs in an abstract, strip glued-on punctuation, classify each."""
    links: dict[str, Link] = {}
    for match in _URL.finditer(text):
        url = _strip_trailing(match.group(0))
        if not url.lower().startswith(("http://", "https://")):
            url = "https://" + url
        host = urlsplit(url).hostname
        if host and "." in host and url not in links:
            kind = classify_link(url)
            links[url] = Link(url=url, kind=kind, label=_label(url, kind))
    return tuple(links.values())


def _strip_trailing(url: str) -> str:
    # Counted once, not per character: a URL glued to a megabyte of ")" stays linear.
    opened = {")": url.count("("), "]": url.count("[")}
    closed = {")": url.count(")"), "]": url.count("]")}
    end = len(url)
    while end:
        last = url[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last in closed and opened[last] < closed[last]:
            closed[last] -= 1
            end -= 1
        else:
            break
    return url[:end]


def classify_link(url: str) -> str:
    """code, dataset, model, project or other, from the host and path alone."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = [p for p in parts.path.split("/") if p]
    if host in _CODE_HOSTS:
        return "code" if len(path) >= 2 else "other"
    if host == "huggingface.co" or host.endswith(".hf.space"):
        if path[:1] == ["datasets"]:
            return "dataset"
        if path[:1] == ["spaces"] or host.endswith(".hf.space"):
            return "project"
        return "model" if len(path) >= 2 else "other"
    if "/datasets/" in parts.path:
        return "dataset"
    if host.endswith((".github.io", ".gitlab.io")) or host == "sites.google.com":
        return "project"
    return "other"


def _label(url: str, kind: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    path = [p for p in parts.path.split("/") if p]
    if kind == "code":
        return "/".join(path[:2]).removesuffix(".git")
    if kind in ("dataset", "model"):
        return "/".join(path[-2:] if kind == "dataset" else path[:2])
    return host + ("/" + "/".join(path) if path else "")


def config_text(path: Path, source: str, report: Report) -> str | None:
    """A configuration file's text (bad bytes replaced), or None when the system will not
    give it (reported as fatal: a build without its taxonomy or curation is not the site)."""
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError as error:
        report.fail(source, 0, f"cannot be read ({error.strerror}); check its permissions.")
        return None


def config_yaml(source: str, text: str, report: Report) -> tuple[Any, Any] | None:
    """A configuration file's YAML (the taxonomy, the curation), parsed once: its root node
    (for lines) and its value; None, with the problem reported as fatal, when it cannot be
    read. Aliases (`*name`) are refused: a few hundred bytes of nested aliases expand into
    gigabytes (the "billion laughs")."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's: parsed every build
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark else 0
                report.fail(source, line, ALIAS_REFUSED)
                return None
        parser = loader(text)
        root = parser.get_single_node()
        return root, None if root is None else parser.construct_document(root)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        fix = "fix the file (a quote around text holding ': ' often does it)."
        report.fail(source, mark.line + 1 if mark else 0, f"not valid YAML: {problem}; {fix}")
        return None


ALIAS_REFUSED = "YAML aliases (*name) are not allowed here; write the value out."


# The longest title and abstract a paper keeps: past real ones by a wide margin, short of
# what would make a page or an index entry megabytes long.
LIMITS = {"title": 1_000, "abstract": 20_000}


def bounded(text: str, field: str, report: Report, source: str, line: int) -> str:
    """`text` cut to the field's limit (at a word near it, with an ellipsis), the cut reported."""
    limit = LIMITS[field]
    if len(text) <= limit:
        return text
    space = text.rfind(" ", limit - 100, limit - 1)
    cut = text[:space] if space > 0 else text[: limit - 1]
    report.warn(
        source,
        line,
        f"{field} of {len(text):,} characters cut to {len(cut) + 1:,}: the limit is "
        f"{limit:,}; shorten it in the file.",
    )
    return cut + "\u2026"
