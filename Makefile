# Two entry points: `make ablation` (set up .venv, run the full ablation, build the report)
# and `make test` (set up .venv, run the test suite). Everything else is plain Snakemake
# (`snakemake --cores N` reads the workflow profile profiles/default by itself); the other
# targets are shortcuts for its common commands.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CORES ?= all
SNAKEMAKE := $(BIN)/snakemake
# The report, with our stylesheet: Snakemake 9 centres its front page, hiding the top of a long
# one, and keeps its text too narrow for the forest plot (workflow/report/report.css).
REPORT := $(SNAKEMAKE) --report results/report.html --report-stylesheet $(abspath workflow/report/report.css)
PYTEST_ARGS ?=
# A directory holding train_catvnoncat.h5 and test_catvnoncat.h5 to copy into data/raw/
# (offline machines); without it the workflow downloads them and checks their SHA-256.
CAT_DATA ?=

.PHONY: ablation report figures claims-docs test lint format clean

$(BIN)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[workflow,test,slurm]'
	touch $@

ablation: $(BIN)/.installed
ifneq ($(CAT_DATA),)
	mkdir -p data/raw
	cp -n $(CAT_DATA)/train_catvnoncat.h5 $(CAT_DATA)/test_catvnoncat.h5 data/raw/
endif
	# Byte-compiled once here: an editable install leaves lib/ uncompiled, and where
	# PYTHONDONTWRITEBYTECODE is set every job (one process per grid cell) would compile it.
	$(BIN)/python -m compileall -q lib
	$(SNAKEMAKE) --cores $(CORES)
	$(REPORT)

report: $(BIN)/.installed
	$(REPORT)

# Every figure and the report redrawn, e.g. after a change to a plot in lib/ablation/plots/
# (code Snakemake does not track). The figure rules are the plot_* rules; nothing else reruns
# (whatever is missing is made first, as by `make ablation`).
figures: $(BIN)/.installed
	rules="$$($(SNAKEMAKE) --list-rules | grep '^plot_')" && \
	$(SNAKEMAKE) --cores $(CORES) --forcerun $$rules
	$(REPORT)

# The claims' headline in README.md and their whole table in docs/method.md, regenerated
# from the last run's results/claims.csv.
claims-docs: $(BIN)/.installed
	$(BIN)/python -m ablation.claims.readme results/claims.csv README.md docs/method.md

test: $(BIN)/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(BIN)/.installed
	$(SNAKEMAKE) --lint
	$(BIN)/snakefmt --check Snakefile workflow/rules

format: $(BIN)/.installed
	$(BIN)/snakefmt Snakefile workflow/rules

clean:
	rm -rf results .snakemake
