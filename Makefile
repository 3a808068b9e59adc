# The README's two commands. Each creates .venv when it is missing and reuses it after.
#   make report   build results/report.pdf (full scale with a GPU; config/quick.yaml without one, unless FULL=1)
#   make test     ruff, snakemake --lint, pytest: what .ci/run calls
SHELL := /bin/bash
PYTHON ?= python3
CORES ?= 4
VENV := $(CURDIR)/.venv
export PATH := $(VENV)/bin:$(PATH)

.PHONY: report test

$(VENV)/.installed: pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --disable-pip-version-check -q -e '.[test]'
	touch $@

report: $(VENV)/.installed
	@if [ -n "$(FULL)" ] || python -c 'import sys, torch; sys.exit(not torch.cuda.is_available())'; then \
		echo "genlab: full scale (config.yaml)"; \
		snakemake --cores $(CORES) --resources gpu=1; \
	else \
		echo "genlab: torch sees no GPU, so this run uses config/quick.yaml (minutes on a CPU);" \
		     "'make report FULL=1' runs config.yaml at full scale"; \
		snakemake --cores $(CORES) --resources gpu=1 --configfile config/quick.yaml; \
	fi

test: $(VENV)/.installed
	ruff check src tests benchmarks
	snakemake --lint
	pytest
