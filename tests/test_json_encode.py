"""`exports.encode` lays JSON out byte for byte as `json.dumps(indent=1)` does."""

import json

from hypothesis import given
from hypothesis import strategies as st

from generator.exports import encode, papers_json, records
from tests.test_render import catalogue_of

SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(VALUES)
def test_encode_is_json_dumps_with_indent(value):
    assert encode(value) == json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)


def test_papers_json_from_made_records_is_the_standard_encoding():
    catalogue = catalogue_of(
        ("Sparse attention", "Sparse attention for arithmetic."),
        ("Dense attention", 'Dense attention \u2028 for arithmetic, "quoted".'),
        ("Token pruning", "Pruning tokens."),
    )
    made = records(catalogue)
    for papers in (None, catalogue.papers[1:], ()):
        text = papers_json(catalogue, papers, made)
        assert (
            text
            == json.dumps(json.loads(text), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        )
        assert text == papers_json(catalogue, papers)
