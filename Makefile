# One set of targets for people and CI. Needs only python3; everything else is installed here.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# Stamps: the runtime dependencies (what building needs); then the test, benchmark and
# evaluation tools as well.
STAMP  := $(VENV)/.installed
DEV    := $(VENV)/.installed-dev
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check
STRICT ?=
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM ?= /usr/bin/chromium
BENCH_SIZES ?= 1000,10000,50000

.PHONY: help dist build serve test lint format clean chromium golden eval bench-related bench

# A .venv/ that cannot run pip (made where python3-venv was missing) is made again.
$(STAMP): pyproject.toml
	@if [ -d $(VENV) ] && ! $(BIN)/python -m pip --version >/dev/null 2>&1; then \
	  echo "$(VENV)/ is broken (no working pip in it); making it again."; rm -rf $(VENV); fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "Could not make $(VENV)/: install Python's venv module (Debian: apt-get install python3-venv)."; \
	  rm -rf $(VENV); exit 1; }
	$(PIP) -e .
	@touch $(STAMP)

$(DEV): $(STAMP)
	$(PIP) -e '.[dev]'
	@touch $(DEV)

help:  ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 16

build: $(STAMP)  ## build site/ from site_src/ and docs/, as `mkdocs build` does (STRICT=1: warnings fail, site/ kept)
	$(BIN)/python -m generator build $(if $(STRICT),--strict)

dist: $(STAMP)  ## the site for reading offline (file://, search included), zipped into dist/
	$(BIN)/python -m generator dist

serve: $(STAMP)  ## live preview on http://127.0.0.1:8000/, rebuilt when site_src/ or docs/ change
	$(BIN)/python -m generator serve

eval: $(DEV)  ## precision@5 of related links and tag precision/recall vs tests/eval labels
	$(BIN)/python -m generator.bench.evaluate

PAPERS ?= 10000
INCREMENTAL ?=
bench-related: $(DEV)  ## time the generator's stages (no MkDocs) for PAPERS synthetic papers (INCREMENTAL=1: +50 papers, pages changed)
	$(BIN)/python -m generator.bench.stages --papers $(PAPERS) $(if $(INCREMENTAL),--incremental)

.PHONY: deploy
deploy: $(STAMP)  ## publish from your own computer: build and push to the gh-pages branch
	$(BIN)/mkdocs gh-deploy

.PHONY: size
size:  ## after a build: bytes of site/ per paper, against GitHub Pages' 1 GB limit
	@find site -mindepth 1 -printf '%y %s %P\n' | awk \
	  -v papers=$$(find site/papers -mindepth 2 -name index.html ! -path '*/page-*' | wc -l) \
	  '$$1 == "d" { tar += 512; next } \
	   { total += $$2; tar += 512 + int(($$2 + 511) / 512) * 512 } \
	   $$3 ~ /^assets\// { theme += $$2 } \
	   $$3 ~ /^papers\/[^/]+\/index.html$$/ && $$3 !~ /^papers\/page-/ { page += $$2 } \
	   $$2 > largest { largest = $$2; name = $$3 } \
	   END { each = (total - theme) / papers; \
	     printf "site/: %d bytes in files for %d papers, %d as a tar (gzipped, the artifact Pages deploys); theme assets %d bytes;\n", total, papers, tar, theme; \
	     printf "%d bytes per paper (paper page alone: %d); 1 GB holds about %d papers\n", each, page / papers, (1e9 - theme) / each; \
	     printf "largest file: %s, %d bytes%s\n", name, largest, \
	       (largest > 104857600 ? " (over 100 MiB: GitHub refuses it in a push, so publish with the Pages workflow, not make deploy)" : "") }'

chromium:  ## Debian's Chromium for the browser tests, installed when missing
	@test -x $(CHROMIUM) || { echo "Installing Debian's chromium with apt-get for the browser tests."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

test: $(DEV) chromium  ## lint and type-check, then the whole test suite (unit, build, browser)
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests
	$(BIN)/mypy generator
	$(BIN)/python -m pytest -q

lint: $(DEV)
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests
	$(BIN)/mypy generator

format: $(DEV)
	$(BIN)/ruff check --fix generator tests
	$(BIN)/ruff format generator tests

golden: $(DEV)  ## regenerate tests/golden/expected after an intended output change
	$(BIN)/python -m tests.golden

bench: $(DEV) chromium  ## build synthetic catalogues of BENCH_SIZES papers and the anchor; .bench/results.md
	$(BIN)/python -m generator.bench --sizes $(BENCH_SIZES)

clean:  ## every generated file and cache; keeps the virtual environment and docs/
	rm -rf site site.partial site.old .cache dist build .pytest_cache .ruff_cache .hypothesis .bench tests/output *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -print | xargs rm -rf
