"""`python -m generator.bench [--sizes 1000,10000,50000]`: see generator/bench/run.py."""

from generator.bench.run import main

raise SystemExit(main())
