# The README's commands. Each creates .venv when it is missing and reuses it after.
#   make report            build results/report.pdf (full scale with a GPU; config/quick.yaml without one, unless FULL=1)
#   make run T=<target>    one experiment (a file under results/, or a rule name), at the scale `make report` picks
#   make test              ruff, snakemake --lint, pytest: what .ci/run calls
# ARGS passes extra flags to snakemake (ARGS=-n: a dry run).
SHELL := /bin/bash
PYTHON ?= python3
CORES ?= 4
VENV ?= $(CURDIR)/.venv
export PATH := $(VENV)/bin:$(PATH)

# snakemake at the scale this machine suits: targets first, since --resources takes several values
define genlab
	@if [ -n "$(FULL)" ] || python -c 'import sys, torch; sys.exit(not torch.cuda.is_available())'; then \
		echo "genlab: full scale (config.yaml)"; \
		snakemake $(1) --cores $(CORES) --resources gpu=1 $(ARGS); \
	else \
		echo "genlab: torch sees no GPU, so this run uses config/quick.yaml (minutes on a CPU);" \
		     "FULL=1 runs config.yaml at full scale"; \
		snakemake $(1) --cores $(CORES) --resources gpu=1 --configfile config/quick.yaml $(ARGS); \
	fi
endef

.PHONY: report run test

$(VENV)/.installed: pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --disable-pip-version-check -q -e '.[test]'
	touch $@

report: $(VENV)/.installed
	$(call genlab,)

run: $(VENV)/.installed
	@test -n "$(T)" || { echo "make run needs a target: make run T=results/mlp_gan/mnist/ckpt.pt"; exit 2; }
	$(call genlab,$(T))

test: $(VENV)/.installed
	ruff check src tests benchmarks
	snakemake --lint
	pytest
