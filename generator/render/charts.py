"""Static SVG charts drawn at build time: horizontal bars and a heatmap.

Each chart is an inline <svg role="img"> with <title> and <desc> as its text alternative, coloured
through CSS classes (`catalogue.css`) so it follows the light/dark palette; the stats page adds a
data table beside each. Every label is escaped; numbers are formatted with fixed precision so the
output is byte-stable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

ROW = 22
BAR = 15
LABEL_WIDTH = 200
PLOT_WIDTH = 210
VALUE_WIDTH = 50  # narrow enough that a phone shows the bars at a readable scale
CELL = 22
MARGIN = 190  # of the heatmap, for its labels
CHAR_WIDTH = 6.6  # average width of a 12px system-font character, for truncating labels


@dataclass(frozen=True)
class Chart:
    """The accessible title and description, and the SVG itself."""

    title: str
    desc: str
    svg: str


def _fit(label: str, width: float) -> str:
    """`label` shortened with an ellipsis to fit `width` pixels (full text in a <title>)."""
    most = max(4, int(width / CHAR_WIDTH))
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def _chart(
    key: str, title: str, desc: str, size: tuple[float, float], body: list[str], kind: str
) -> Chart:
    """The <svg> of `body` (its shapes), `size` (width, height) pixels, with its text."""
    width, height = size
    return Chart(
        title,
        desc,
        f'<svg class="chart chart--{kind}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" '
        f'aria-labelledby="{key}-title {key}-desc" '
        'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{key}-title">{escape(title)}</title>'
        f'<desc id="{key}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>",
    )


def bar_chart(
    key: str,
    title: str,
    desc: str,
    rows: Sequence[tuple[str, float]],
    *,
    maximum: float | None = None,
    unit: str = "",
) -> Chart:
    """One horizontal bar per (label, value), in the order given."""
    top = maximum if maximum is not None else max((value for _, value in rows), default=0)
    out = []
    for n, (label, value) in enumerate(rows):
        y = 4 + n * ROW
        length = PLOT_WIDTH * value / top if top else 0
        shown = f"{value:g}{unit}"
        out.append(
            f'<g class="chart__row"><title>{escape(label)}: {escape(shown)}</title>'
            f'<text class="chart__label" x="{LABEL_WIDTH - 8}" y="{y + BAR - 3}" '
            f'text-anchor="end">{escape(_fit(label, LABEL_WIDTH - 12))}</text>'
            f'<rect class="chart__track" x="{LABEL_WIDTH}" y="{y}" width="{PLOT_WIDTH}" '
            f'height="{BAR}" rx="2"/>'
            f'<rect class="chart__bar" x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" '
            f'height="{BAR}" rx="2"/>'
            f'<text class="chart__value" x="{LABEL_WIDTH + length + 5:.1f}" '
            f'y="{y + BAR - 3}">{escape(shown)}</text></g>'
        )
    size = (LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH, ROW * len(rows) + 8)
    return _chart(key, title, desc, size, out, "bars")


def heatmap(key: str, title: str, desc: str, labels: list[str], counts: list[list[int]]) -> Chart:
    """A square matrix: cell (row, column) shaded by its count; the diagonal left blank."""
    top = max((c for i, row in enumerate(counts) for j, c in enumerate(row) if i != j), default=0)
    out = []
    for i, label in enumerate(labels):
        short = escape(_fit(label, MARGIN - 10))
        at = MARGIN + i * CELL + CELL - 4  # the row label's baseline, the column label's start
        out.append(
            f'<text class="chart__label" x="{MARGIN - 6}" y="{at}" text-anchor="end">{short}</text>'
            f'<text class="chart__label" transform="translate({at} {MARGIN - 6}) rotate(-60)">'
            f"{short}</text>"
        )
    for i, row in enumerate(counts):
        for j, count in enumerate(row):
            x, y = MARGIN + j * CELL, MARGIN + i * CELL
            if i == j:
                out.append(
                    f'<rect class="chart__diagonal" x="{x}" y="{y}" width="{CELL - 1}" '
                    f'height="{CELL - 1}"/>'
                )
                continue
            shade = count / top if top else 0
            tip = f"{labels[i]} and {labels[j]}: {count} paper{'s' if count != 1 else ''}"
            number = (
                f'<text class="chart__num{" chart__num--on-dark" if shade > 0.5 else ""}" '
                f'x="{x + (CELL - 1) / 2:.1f}" y="{y + CELL - 7}" text-anchor="middle">'
                f"{count}</text>"
                if count
                else ""
            )
            out.append(
                f"<g><title>{escape(tip)}</title>"
                f'<rect class="chart__cell" x="{x}" y="{y}" width="{CELL - 1}" '
                f'height="{CELL - 1}" fill-opacity="{0.06 + 0.94 * shade:.2f}"/>{number}</g>'
            )
    side = MARGIN + CELL * len(labels)
    size = (side + MARGIN // 2, side + 10)  # rotated column labels lean right
    return _chart(key, title, desc, size, out, "heatmap")


def figure(chart: Chart, headers: list[str], rows: list[list[str]]) -> str:
    """A chart as a raw HTML block for Markdown: the SVG, then its data in <details>, as a
    table of already-formatted cells (escaped here)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return (
        # Scrolled sideways on a phone: focusable, so the keyboard can scroll it too.
        f'<figure class="chart-figure">\n<div class="chart-scroll" tabindex="0" role="region" '
        f'aria-label="{escape(chart.title)}">{chart.svg}</div>\n'
        f"<figcaption>{escape(chart.desc)}</figcaption>\n</figure>\n"
        f'<details class="chart-data"><summary>Data table: {escape(chart.title)}</summary>\n'
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>\n</details>\n"
    )
