"""The facet index: compact, A to Z, indexes pointing at the right tags and listings."""

import json

from generator.render.facets import facets_files, facets_index
from tests.test_render import catalogue_of


def test_facet_index_exactly():
    catalogue = catalogue_of(
        ("Zebra Arithmetic", "Arithmetic, with code at https://github.com/a/b."),
        ("Another Paper", "Nothing to see."),
    )
    assert facets_index(catalogue) == {
        "tags": [["arithmetic", "Arithmetic", "Reasoning"]],
        "listings": [["l1", "Mar 19 · Arithmetic", "2000-03-19"]],  # no year known: 2000
        "papers": [
            ["another-paper", "Another Paper", [], [0], 0],  # shares no word: nothing to borrow
            ["zebra-arithmetic", "Zebra Arithmetic", [0], [0], 1],
        ],
    }


def test_json_and_script_carry_the_same_ascii_data():
    catalogue = catalogue_of(("Ünïcode “Title” </script>", "Arithmetic."))
    files = facets_files(catalogue)
    assert files["facets.json"].isascii() and files["facets.js"].isascii()
    data = json.loads(files["facets.json"])
    assert data["papers"][0][1] == "Ünïcode “Title” </script>"
    prefix = "window.paperFacets = "
    assert files["facets.js"].startswith(prefix)
    assert json.loads(files["facets.js"][len(prefix) :].rstrip().rstrip(";")) == data
