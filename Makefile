# All set-up happens here: both targets build their own virtual environment on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck unit clean sysdeps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[all,dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/semipack demo examples --figures docs/figures

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench

typecheck: $(STAMP)
	$(VENV)/bin/mypy src

# Debian packages the tests use when present: Chromium (the HTML report in a real
# headless browser) and KiCad 6 (its pcbnew module loads the footprints). Installed
# when missing and apt-get is usable (CI runs as root); otherwise those tests skip.
sysdeps:
	@if ! command -v chromium >/dev/null || ! /usr/bin/python3 -c "import pcbnew" 2>/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian packages chromium and kicad (tests use them)"; \
	    (apt-get install -y -q --no-install-recommends chromium kicad >/dev/null 2>&1 || \
	     (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q --no-install-recommends chromium kicad >/dev/null)) ; \
	  else echo "chromium/kicad missing and apt-get unusable: the browser and KiCad tests will skip"; fi; \
	fi

unit: $(STAMP) sysdeps
	$(VENV)/bin/pytest

test: lint typecheck unit

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
