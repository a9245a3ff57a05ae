"""`python -m tests.hostile DIR`: write the hostile corpus into DIR."""

import sys
from pathlib import Path

from tests.hostile import write

if len(sys.argv) != 2:
    raise SystemExit("usage: python -m tests.hostile DIR  (e.g. site_src/listings)")
for path in write(Path(sys.argv[1])):
    print(path)
