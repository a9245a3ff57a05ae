"""Statistics charts: well-formed SVG with text alternatives, escaped labels, right numbers."""

import re
import xml.etree.ElementTree as ET

from generator.render.charts import bar_chart, heatmap
from generator.render.stats import STATS_PAGE, stats_page
from tests.conftest import as_markdown
from tests.test_render import catalogue_of

SVG = "{http://www.w3.org/2000/svg}"


def test_bar_chart_is_valid_svg_with_title_desc_and_escaped_labels():
    chart = bar_chart("k", "Title <x>", "Desc & more", [("<script>&", 3), ("b", 1)])
    root = ET.fromstring(chart.svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "k-title k-desc"
    assert root.find(SVG + "title").text == "Title <x>"
    assert root.find(SVG + "desc").text == "Desc & more"
    bars = root.findall(f".//{SVG}rect[@class='chart__bar']")
    assert [float(b.get("width")) for b in bars] == [210.0, 70.0]
    labels = [t.text for t in root.iter(SVG + "text") if t.get("class") == "chart__label"]
    assert labels == ["<script>&", "b"]


def test_heatmap_cells_are_symmetric_counts():
    chart = heatmap("h", "T", "D", ["a", "b"], [[0, 2], [2, 0]])
    root = ET.fromstring(chart.svg)
    tips = [t.text for t in root.iter(SVG + "title")][1:]
    assert tips == ["a and b: 2 papers", "b and a: 2 papers"]


def test_stats_page_charts_and_tables_agree():
    catalogue = catalogue_of(
        ("Arithmetic One", "Arithmetic; code https://github.com/a/b."),
        ("Arithmetic Two", "Arithmetic again."),
    )
    page = as_markdown(stats_page(catalogue))[STATS_PAGE]
    assert [h for h in re.findall(r"^#+ .*", page, re.M)] == [
        "# Statistics",
        "## Papers per tag",
        "## Tags that appear together",
        "## Papers per listing",
        "## Papers with code",
    ]
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(svgs) == 4
    for svg in svgs:
        ET.fromstring(svg)
    assert "<td>Arithmetic</td><td>2</td>" in page
    assert "<td>All papers</td><td>1</td><td>2</td><td>50%</td>" in page
