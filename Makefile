# Two commands for a fresh machine: `make demo` runs the pipeline, `make test` runs the tests.
# Both create .venv and install what they need (PyPI; Prometheus from Debian for the tests).
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint install test-tools clean

# uv resolves and installs the package and its dependencies in about 10 s where pip took about a minute on a
# clean clone (measured 2026-12-07, docs/tests.md); it is installed into the venv by pip, so python3 is all it needs.
# --compile-bytecode writes the .pyc files pip writes by default: without them every process compiles what it
# imports again (a worker's import took 1.7 s of CPU instead of 0.9 s).
$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv
	$(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) -e '.[embedded,test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/komhen demo $(ARGS)

# Prometheus, promtool and Alertmanager from Debian (the tests start their own servers),
# docker-compose to validate docker-compose.yml (no Docker engine is needed for that), and
# Chromium, the real browser that opens and prints the status report (never downloaded at test time),
# poppler-utils to read the printed PDF back, and faketime to run the quick start on another day.
test-tools:
	@command -v promtool >/dev/null && command -v prometheus-alertmanager >/dev/null && command -v docker-compose >/dev/null && command -v chromium >/dev/null && command -v pdftotext >/dev/null && command -v faketime >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus prometheus-alertmanager docker-compose chromium poppler-utils faketime >/dev/null; }

lint: $(STAMP)
	$(VENV)/bin/ruff check streams tests
	$(VENV)/bin/ruff format --check streams tests
	$(VENV)/bin/mypy

# Five pytest-xdist workers on two cores: the integration tests mostly wait on a broker, a worker or Prometheus,
# and the unit tests placed between them (tests/conftest.py) use the CPU the waits leave idle (figures in
# docs/tests.md). Each xdist worker starts its own broker. Bytecode is cached for the
# run even where the machine says not to (PYTHONDONTWRITEBYTECODE): the tests start a Python process for every
# worker and `komhen` command they run, and each compiled the package and the tests anew.
JOBS ?= 5
test: $(STAMP) test-tools lint
	env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest -q -n $(JOBS) --dist loadgroup $(ARGS)

clean:
	rm -rf $(VENV) .komhen .pytest_cache
