# The two commands a new user runs: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The suite's workers: one per CPU, at most four (pytest-xdist); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
WORKERS ?= 2

.PHONY: install demo serve test lint bench-zone clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

demo: install
	mkdir -p var
	$(BIN)/hitechzone migrate --noinput
	$(BIN)/hitechzone seed_calendar
	$(BIN)/hitechzone collectstatic --noinput --verbosity 0
	$(BIN)/hitechzone load_demo --seed 42
	@echo ""
	@echo "hitechzone: http://127.0.0.1:$(PORT)/   (API docs: http://127.0.0.1:$(PORT)/api/v1/docs/)"
	@# The background worker (imports and other long jobs) runs beside the web server and stops with it.
	$(BIN)/hitechzone run_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn hitechzone.wsgi --bind 127.0.0.1:$(PORT) --workers $(WORKERS) --access-logfile - --error-logfile -

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/hitechzone makemigrations --check --dry-run
	$(BIN)/hitechzone spectacular --validate --fail-on-warn --file /dev/null

test: lint
	$(BIN)/pytest -n $(TEST_WORKERS) --maxprocesses=4

clean:
	rm -rf $(VENV) var
