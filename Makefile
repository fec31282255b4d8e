# `make run` sets up and runs the bot (the sandbox while no BOT_TOKEN is configured); `make test` sets up
# and runs the tests.
# Python 3.12: from PATH, or from pyenv (PYENV_VERSION=3.12.1) where the shim needs it. Found once, as the
# interpreter's own path: each call through pyenv's shim costs 0.2-0.5 s, and a `?=` variable would run
# the search again at every use.
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell for python in python3.12 "env PYENV_VERSION=3.12.1 python3.12"; do \
	$$python -c 'import sys; print(sys.executable)' 2>/dev/null && exit; done; echo python3)
endif
VENV := .venv

.PHONY: run test test-fast lint bench

# What the bot needs to run; the dev tools come on top for tests (a fresh `make run` skips them).
# Quick for a fresh clone's first start (figures: benchmarks/README.md, "Sandbox start"). The venv
# starts without pip, and the interpreter's own pip puts the current pip and uv in (0.1 + ~3 s, where
# `venv` with its ensurepip and then an upgrade of that pip took 5.6 + 2.8 s). uv installs newsdesk
# (3.4-4.4 s with its cache empty at load ~1, where pip took 15.6 s: byte-compiling every module ~7 s,
# parsing the package index ~5 s of CPU, an isolated build environment ~3.5 s). Nothing is compiled
# at install: Python compiles what the bot imports when it first imports it (~1.2 s more at the first
# start). Without a usable pip in the interpreter: `venv --upgrade-deps`; without uv, or where uv
# fails (it reads no pip.conf: an index set only there), pip installs the same, the slow way.
$(VENV)/.installed-run: pyproject.toml
	$(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip --python $(VENV)/bin/python install --quiet --no-compile --upgrade pip uv 2>/dev/null \
		|| $(PYTHON) -m venv --upgrade-deps $(VENV)
	$(VENV)/bin/uv pip install --quiet --python $(VENV)/bin/python -e . 2>/dev/null \
		|| $(VENV)/bin/pip install --quiet --no-compile -e .
	touch $@

$(VENV)/.installed: $(VENV)/.installed-run
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

run: $(VENV)/.installed-run
	$(VENV)/bin/newsdesk run --sandbox-without-token

# On every core (pytest-xdist), a file's tests on one worker: a module's shared sandbox, browser or
# archive is made once (xdist 3.8's loadgroup does not group under pytest 9). The slow and e2e files go
# first (tests/conftest.py) so the short ones fill the ends. Figures: benchmarks/README.md, "Test suite".
# Four workers on two cores: most of an e2e test's time is waiting (long polls, process start-ups), so two
# workers left the cores half idle. Whole suite on this 2-core machine, idle: -n 2 4 min 25 s, -n 4 3 min 39 s.
PYTEST_PARALLEL := -n 4 --dist loadfile

test: lint
	$(VENV)/bin/pytest -q $(PYTEST_PARALLEL)

# The unit and table tests only (no e2e, nothing slow): well under a minute.
test-fast: $(VENV)/.installed
	$(VENV)/bin/pytest -q $(PYTEST_PARALLEL) -m "not e2e and not slow"

# ruff, and vulture for dead code ([tool.vulture] in pyproject.toml, tests/vulture_whitelist.py).
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/vulture
