"""The golden catalogue: a small input whose generated docs/ tree is kept in the repo.

Regenerate after an intended change with `make golden` (`python -m tests.golden`), then
review the diff with `git diff tests/golden/expected`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.pipeline import Project, generate

HERE = Path(__file__).resolve().parent
INPUT = HERE / "input"
EXPECTED = HERE / "expected"


def build_golden(target: Path) -> Path:
    """Generate the golden input's docs/ under `target`; return that docs folder."""
    site_src = target / "site_src"
    shutil.copytree(INPUT, site_src)
    generate(Project(target))
    return target / "docs"


def main() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as temp:
        docs = build_golden(Path(temp))
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(docs, EXPECTED)
    print(f"regenerated {EXPECTED}")
