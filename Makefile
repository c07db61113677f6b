# zonestudy: two commands rebuild and test the whole study.
#   make reproduce   set up, then rebuild data/clean, figures and the executed notebooks from data/raw
#   make test        set up, then run the unit tests, the doctests and nbval over the notebooks (2 workers)
#   make add FILES="data/raw/campaign_facts_x.csv data/raw/sources_x.csv"
#                    validate new or edited raw files and write their entries in data/raw/datapackage.json
#   make validate    check every file of data/raw against data/raw/datapackage.json
#   make diff        after a rebuild: which clean rows, exhibits and finding values changed (against git HEAD)
#   make site        render the executed notebooks as a static HTML site in build/site (no re-execution)
#   make lab         open the notebooks in JupyterLab on the project's kernel
# Inside an active virtual or conda environment (not conda's base) the commands use it, installing the
# locked versions into it; otherwise they create .venv.

SHELL := /bin/bash
# conda's auto-activated "base" environment does not count as the project's environment
ACTIVE_ENV := $(strip $(VIRTUAL_ENV)$(filter-out base,$(CONDA_DEFAULT_ENV)))
ifneq ($(ACTIVE_ENV),)
  PYTHON := python
  STAMP := .zonestudy-installed
else
  PYTHON := .venv/bin/python
  STAMP := .venv/.zonestudy-installed
endif
BOOTSTRAP_PYTHON ?= python3
LOCK := requirements-lock.txt
PYTEST_ARGS ?=
# pytest-xdist workers for `make test` (one per core of a 2-core machine); each notebook runs whole in one
TEST_WORKERS ?= 2

.PHONY: setup reproduce build test site lab lock clean-outputs help add validate diff

help:
	@echo "make reproduce  - set up and rebuild the study from data/raw"
	@echo "make test       - set up and run every test (unit, doctests, notebooks)"
	@echo "make add FILES=\"data/raw/x.csv ...\" - validate raw files and declare them in data/raw/datapackage.json"
	@echo "make validate   - check every file of data/raw against data/raw/datapackage.json"
	@echo "make diff       - after a rebuild: which clean rows, exhibits and finding values changed (against git HEAD)"
	@echo "make site       - render the executed notebooks as HTML in build/site"
	@echo "make lab        - open the notebooks in JupyterLab"

setup: $(STAMP)

.venv/bin/python:
	@echo "Creating the virtual environment .venv with $(BOOTSTRAP_PYTHON) ..."
	@$(BOOTSTRAP_PYTHON) -m venv .venv

# PYTHONWARNINGS hides setuptools' "Editable installation" banner, which pip passes through.
$(STAMP): pyproject.toml $(LOCK) $(if $(findstring .venv,$(STAMP)),.venv/bin/python)
	@echo "Installing zonestudy and the locked versions of its dependencies ($(LOCK)) into $(if $(findstring .venv,$(STAMP)),.venv,the active environment) ..."
	@$(PYTHON) -m pip install --quiet --upgrade pip
	@PYTHONWARNINGS="ignore:Editable installation" $(PYTHON) -m pip install --quiet -c $(LOCK) -e ".[test,notebooks,dask]"
	@$(PYTHON) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (zonestudy)" > /dev/null
	@touch $(STAMP)

reproduce: setup
	@$(PYTHON) -m zonestudy.study build

build: reproduce

add: setup
	@test -n "$(FILES)" || { echo 'usage: make add FILES="data/raw/campaign_facts_x.csv data/raw/sources_x.csv"' >&2; exit 2; }
	$(PYTHON) -m zonestudy add $(FILES) $(ADD_ARGS)

validate: setup
	$(PYTHON) -m zonestudy validate

# What the last rebuild changed against the committed outputs (git HEAD): clean rows, exhibits, findings.
diff: setup
	$(PYTHON) -m zonestudy.study diff

test: setup
	@$(PYTHON) -m pytest --doctest-modules -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder \
	  --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
	  zonestudy tests notebooks $(PYTEST_ARGS)

# The executed notebooks as a static HTML site (build/site/index.html); nothing is re-executed.
site: setup
	@$(PYTHON) -m zonestudy.site --out build/site

# JupyterLab on the project's kernel ("Python 3 (zonestudy)"); --allow-root is added when run as root
# (e.g. in a container). Other options: make lab LAB_ARGS="--no-browser --port 8899".
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)
lab: setup
	@$(PYTHON) -m jupyter lab --notebook-dir=notebooks $(LAB_ARGS)

# Maintainers: refresh the exact versions the study is built and tested with.
lock: setup
	$(PYTHON) -m pip freeze --all --exclude-editable | grep -v -e '^-e ' -e '^pip==' | LC_ALL=C sort > $(LOCK)
