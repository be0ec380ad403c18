# The two commands a reader needs: `make book` and `make test` (see README.md).
# Both create .venv and fetch the front-end files on first use, and reuse them afterwards.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
JB     := $(VENV)/bin/jupyter-book
PIP_STAMP    := $(VENV)/.installed
VENDOR_STAMP := vendor/.installed
# a copy of Colab's runtime (tests/data/colab-pip-freeze.txt), for `make colab`
COLAB_VENV   := .venv-colab
COLAB_PY     := $(COLAB_VENV)/bin/python
COLAB_STAMP  := $(COLAB_VENV)/.installed
# torch's version is written once, in requirements.txt
TORCH_PIN    := $(shell grep -m1 '^torch==' requirements.txt)
# ganbook into it as the chapters' Colab cell installs it: from git (the committed HEAD), no deps
COLAB_GANBOOK = $(COLAB_PY) -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps \
  "ganbook @ git+file://$(CURDIR)@$$(git rev-parse HEAD)"
# the book's execution cache holds outputs computed with ganbook's code at the time: drop it
# when that code changes, or a chapter's page would show numbers the code no longer gives
CACHE        := _build/.jupyter_cache
CACHE_STAMP  := $(CACHE)/.ganbook-stamp

# Two kernels on two cores must not each start a full thread pool.
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# Python keeps the bytecode of what it imports (in __pycache__ folders, which git ignores; the
# packages are installed --no-compile, so a module is compiled when a run first imports it, once).
# An environment that sets PYTHONDONTWRITEBYTECODE would have every kernel and test process compile
# torch, matplotlib and the rest again: about 4 s more for each process to start.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: book test serve clean distclean setup execute unit policy notebooks strict-build pages colab rounding links bench edition format

# `make book` and `make test` run their stages two at a time (one job a core): a stage that leaves
# a core idle (installing, one pytest process, waiting on a browser) runs beside another that uses it.
TWO := --no-print-directory -j2

setup: $(PIP_STAMP) $(VENDOR_STAMP)

# --no-compile: no bytecode for every file of every package at install time (it took two thirds of
# the time of installing torch); Python compiles the modules a run imports, once, when it imports them
$(PIP_STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-compile -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-compile --no-deps --no-build-isolation -e .
	touch $@

# MathJax 3, require.js and the ipywidgets HTML manager, pinned in vendor/package-lock.json,
# copied to vendor/static/ with the book's own script and style (vendor/js, vendor/css), which
# the book serves from _static/; and the browser trainer's WebAssembly kernel, assembled from
# vendor/js/gan-kernels.wat by wabt (pinned there too) into vendor/static/gan-kernels.js.
$(VENDOR_STAMP): vendor/package.json vendor/package-lock.json vendor/build-kernels.js $(wildcard vendor/js/*) \
                 vendor/css/book.css
	cd vendor && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	rm -rf vendor/static && mkdir -p vendor/static/html-manager
	cp -r vendor/node_modules/mathjax/es5 vendor/static/mathjax
	cp vendor/node_modules/requirejs/require.js vendor/static/require.js
	find vendor/node_modules/@jupyter-widgets/html-manager/dist -maxdepth 1 -type f ! -name '*.map' \
	  -exec cp {} vendor/static/html-manager/ \;
	cp vendor/js/widgets-offline.js vendor/static/html-manager/
	cp vendor/js/static-controls.js vendor/js/book.js vendor/js/gan-trainer.js vendor/js/gan-playground.js \
	  vendor/css/book.css vendor/static/
	node vendor/build-kernels.js
	touch $@

# Sphinx's saved environment (_build/.doctrees) goes too: it re-reads a page only when the page's
# source changed, and would otherwise keep showing the outputs of the dropped cache.
$(CACHE_STAMP): $(wildcard src/ganbook/*.py) requirements.txt
	rm -rf $(CACHE) _build/.doctrees
	mkdir -p $(dir $@) && touch $@

# Execute the chapters two at a time into the build's execution cache (jupyter-cache's parallel
# executor), so that the build, which executes one notebook after the other, finds them there.
# A chapter that fails here is executed again by the build, which then reports the error.
# The last chapters, the longest, are added (and so executed) first, so that the two workers
# finish close together.
execute: $(PIP_STAMP) $(CACHE_STAMP)
	$(VENV)/bin/jcache notebook -p $(CACHE) add $$(ls -r book/*.ipynb) > /dev/null
	$(VENV)/bin/jcache project -p $(CACHE) execute --executor local-parallel --timeout 300 --verbosity WARNING

# npm's install runs beside the chapters' execution, which needs only Python's; -Oline prints
# each line whole as it comes
book:
	$(MAKE) $(TWO) -Oline strict-build
	@echo
	@echo "The book is built. Open: $(CURDIR)/_build/html/index.html   (or run: make serve)"

# The stages, two at a time: the unit tests (one process) beside the policy checks, the strict
# build (from the cache that `make book` filled) and the install of Colab's runtime; then the
# chapters executed in that runtime (two kernels) beside the page tests. Both of those keep the two
# cores busy (the page tests' Chromium used 367 CPU-seconds in their 203 s alone), so side by side
# they take about as long as one after the other would: the pair is CPU-bound. -Otarget prints each
# stage's output whole, when it ends.
test:
	$(MAKE) $(TWO) -Otarget unit policy notebooks pages
	@echo "make test: all stages passed"

# one worker: two were slower from a fresh clone (74 s against 54 s; the trainer's tests start processes of
# their own)
unit: $(PIP_STAMP)
	$(PY) -m pytest -q tests/package tests/examples tests/book/test_chapter_loop.py tests/book/test_digits_recipe.py

# the chapter rules (the numbers in the prose included), and the Colab edition (colab/book/) against its sources: regenerated, it must
# equal the committed files, with no MyST syntax left and every solution folded
policy: $(PIP_STAMP)
	$(PY) -m pytest -q tests/book/test_policy.py tests/book/test_prose_numbers.py tests/book/test_bench_results.py \
	  tests/book/test_colab_edition.py

# Lay out the chapters' code in the book's style (yapf; tests/book/chapter_code.py). Then `make edition`.
format: setup
	$(PY) tests/book/chapter_code.py

# Write the Colab edition (colab/book/) from the chapters; commit it with them.
edition: setup
	$(PY) colab/make_edition.py

strict-build: execute $(VENDOR_STAMP)
	$(JB) build -W -n --keep-going .

# a copy of Colab's runtime, from its published pip freeze (torch: the CPU build of requirements.txt)
$(COLAB_STAMP): tests/data/colab-pip-freeze.txt tests/colab/constraints.py requirements.txt
	rm -rf $(COLAB_VENV) && $(PYTHON) -m venv $(COLAB_VENV)
	$(PYTHON) tests/colab/constraints.py > $(COLAB_VENV)/constraints.txt
	$(COLAB_PY) -m pip install --quiet --disable-pip-version-check -c $(COLAB_VENV)/constraints.txt pip
	$(COLAB_PY) -m pip install --quiet --disable-pip-version-check --no-compile -c $(COLAB_VENV)/constraints.txt \
	  $(TORCH_PIN) ipywidgets ipython ipykernel matplotlib numpy scikit-learn scipy tqdm pytest pytest-xdist nbval
	touch $@

# Every chapter executed a second time, as a learner in Colab runs it: the Colab edition
# (colab/book/, what the Colab button opens) in a copy of Colab's runtime (Colab's versions of
# ipywidgets 7, IPython, ipykernel, matplotlib, NumPy and scikit-learn, with ganbook installed as the
# chapters' Colab cell does: from git, --no-deps, the committed HEAD), in fresh kernels, two at a
# time (OMP_NUM_THREADS=1 above keeps them off each other's core). Its asserts must pass, and every
# line it prints must equal the one the build's execution printed for the web page: nbval compares
# the text outputs with the build's executions, which tests/book/cached_executions.py takes from
# the cache; a paragraph that quotes the run must read as the web page's does. Images and widget
# ids are not compared, and wall-clock times are sanitized. nbval_display_updates makes nbval keep
# each display's last state (a dashboard's replay), as the build does.
notebooks: strict-build $(COLAB_STAMP)
	$(PY) tests/book/cached_executions.py
	@git diff --quiet HEAD -- src pyproject.toml || echo "note: ganbook is installed from the committed HEAD, not from your uncommitted changes"
	$(COLAB_GANBOOK)
	$(COLAB_PY) -m pytest -q -p no:cacheprovider tests/colab/test_colab_env.py
	PYTHONPATH=tests/book $(COLAB_PY) -m pytest -q -p no:cacheprovider -n 2 --dist loadfile -p nbval_display_updates \
	  --nbval --nbval-current-env --nbval-cell-timeout=300 --nbval-sanitize-with tests/book/sanitize.cfg \
	  $$(ls -r _build/executed/colab/*.ipynb)

# two workers, each with its own Chromium: the tests of one page of the book run in one worker,
# which opens the page once for all of them (tests/book/test_rendered.py, on_pages); and the browser
# trainer of chapters 1 and 6 against their PyTorch code (tests/book/test_browser_trainer.py)
pages: strict-build
	$(PY) -m pytest -q -n 2 --dist loadgroup tests/book/test_rendered.py tests/book/test_colab_edition_rendered.py \
	  tests/book/test_browser_trainer.py

# Not part of `make test` (`make notebooks` runs the same edition and compares its outputs too):
# every chapter of the Colab edition in the copy of Colab's runtime, with no build needed. Its
# asserts must pass.
colab: $(COLAB_STAMP)
	@git diff --quiet HEAD -- src pyproject.toml || echo "note: ganbook is installed from the committed HEAD, not from your uncommitted changes"
	$(COLAB_GANBOOK)
	$(COLAB_PY) -m pytest -q -p no:cacheprovider tests/colab/test_colab_env.py
	$(COLAB_PY) -m pytest -q -p no:cacheprovider -n 2 --dist loadfile --nbval-lax --nbval-current-env \
	  --nbval-cell-timeout=300 colab/book/

# Not part of `make test` (it takes as long again): every chapter with torch's generic kernels
# instead of this CPU's vector ones (ATEN_CPU_CAPABILITY=default), so that every sum is rounded
# differently from the build's run, as on another CPU or a GPU. A GAN run amplifies such
# differences; every assert must hold with a tolerance that survives them.
rounding: $(COLAB_STAMP)
	$(COLAB_GANBOOK)
	ATEN_CPU_CAPABILITY=default $(COLAB_PY) -m pytest -q -p no:cacheprovider -n 2 --dist loadfile --nbval-lax \
	  --nbval-current-env --nbval-cell-timeout=300 colab/book/

# External links (the weekly workflow .github/workflows/links.yml; needs the internet). The
# chapters are not executed: jupyter-book writes its Sphinx config, and Sphinx's linkcheck
# builder reads the sources with execution off.
links: setup
	$(JB) config sphinx . > /dev/null
	$(VENV)/bin/sphinx-build -q -b linkcheck -D nb_execution_mode=off . _build/linkcheck; status=$$?; rm -f conf.py; exit $$status

bench: setup
	$(PY) bench/time_notebooks.py
	$(PY) bench/profile_chapters.py
	$(PY) bench/ring_recipe.py
	$(PY) bench/digits_gan.py
	$(PY) bench/conditional_gan.py
	$(PY) bench/loss_family.py
	$(PY) bench/strong_discriminator.py
	$(PY) bench/fashion_gan.py
	$(PY) bench/replay_cost.py
	$(PY) bench/browser_trainer.py

serve:
	$(PY) -m http.server --bind 127.0.0.1 --directory _build/html 8000

clean:
	rm -rf _build

distclean: clean
	rm -rf $(VENV) $(COLAB_VENV) vendor/node_modules vendor/static $(VENDOR_STAMP)
