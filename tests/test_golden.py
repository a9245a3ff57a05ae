"""The small golden catalogue generates exactly the files kept in tests/golden/expected."""

import difflib
from pathlib import Path

from tests.golden import EXPECTED, build_golden


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_golden_catalogue(tmp_path: Path) -> None:
    got = tree(build_golden(tmp_path))
    want = tree(EXPECTED)
    assert sorted(got) == sorted(want), "file list differs; run `make golden` if intended"
    for name in sorted(want):
        if got[name] != want[name]:
            diff = "".join(
                difflib.unified_diff(
                    want[name].decode().splitlines(True),
                    got[name].decode().splitlines(True),
                    f"expected/{name}",
                    f"generated/{name}",
                )
            )
            raise AssertionError(f"{name} differs (run `make golden` if intended):\n{diff}")


def test_generation_is_deterministic(tmp_path: Path) -> None:
    first = tree(build_golden(tmp_path / "one"))
    second = tree(build_golden(tmp_path / "two"))
    assert first == second
