# The two commands a reader needs: `make book` and `make test` (see README.md).
# Both create .venv and fetch the front-end files on first use, and reuse them afterwards.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
JB     := $(VENV)/bin/jupyter-book
PIP_STAMP    := $(VENV)/.installed
VENDOR_STAMP := vendor/.installed

# Two kernels on two cores must not each start a full thread pool.
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: book test serve clean distclean setup unit policy notebooks strict-build pages bench

setup: $(PIP_STAMP) $(VENDOR_STAMP)

$(PIP_STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# MathJax 3, require.js and the ipywidgets HTML manager, pinned in vendor/package-lock.json,
# copied to vendor/static/, which the book serves from _static/.
$(VENDOR_STAMP): vendor/package.json vendor/package-lock.json vendor/js/widgets-offline.js
	cd vendor && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	rm -rf vendor/static && mkdir -p vendor/static/html-manager
	cp -r vendor/node_modules/mathjax/es5 vendor/static/mathjax
	cp vendor/node_modules/requirejs/require.js vendor/static/require.js
	find vendor/node_modules/@jupyter-widgets/html-manager/dist -maxdepth 1 -type f ! -name '*.map' \
	  -exec cp {} vendor/static/html-manager/ \;
	cp vendor/js/widgets-offline.js vendor/static/html-manager/
	touch $@

book: setup
	$(JB) build .
	@echo
	@echo "The book is built. Open: $(CURDIR)/_build/html/index.html   (or run: make serve)"

test: setup unit policy notebooks strict-build pages
	@echo "make test: all stages passed"

unit: setup
	$(PY) -m pytest -q tests/package tests/book/test_chapter_loop.py tests/book/test_digits_recipe.py

policy: setup
	$(PY) -m pytest -q tests/book/test_policy.py

# two kernels at a time, one whole notebook each (OMP_NUM_THREADS=1 above keeps them off each other's core)
notebooks: setup
	$(PY) -m pytest -q -n 2 --dist loadfile --nbval-lax --nbval-current-env --nbval-cell-timeout=300 book/

strict-build: setup
	$(JB) build -W -n --keep-going .

pages: setup
	$(PY) -m pytest -q tests/book/test_rendered.py

bench: setup
	$(PY) bench/time_notebooks.py
	$(PY) bench/ring_recipe.py
	$(PY) bench/digits_gan.py

serve:
	$(PY) -m http.server --bind 127.0.0.1 --directory _build/html 8000

clean:
	rm -rf _build

distclean: clean
	rm -rf $(VENV) vendor/node_modules vendor/static $(VENDOR_STAMP)
