# Everything runs from a local virtual environment that the first target creates.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Material announces its end of life on every build; CI logs need the build's own messages.
export NO_MKDOCS_2_WARNING := 1

# The example wiki's git history is generated (demo/make_history.py): eighteen months of the
# Larkspur people writing, reviewing and moving pages, in build/demo.git. Git, and so kb, reads
# the history from there and the pages from content/ on disk, so a preview shows every edit.
DEMO      := build/demo.git
WITH_DEMO := GIT_DIR="$(CURDIR)/$(DEMO)" GIT_WORK_TREE="$(CURDIR)"

.PHONY: demo site serve check screenshots test bench bench-memory fuzz clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "kb needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed  ## write the example wiki's history into build/demo.git (a few seconds)
	$(BIN)/python demo/make_history.py --output $(DEMO)

site: demo  ## build content/ into site/, failing on any problem
	$(WITH_DEMO) $(BIN)/mkdocs build --strict

serve: demo  ## live preview on http://127.0.0.1:8000 (POLL=1 where saves go unseen: a mounted folder)
	$(WITH_DEMO) $(BIN)/kb serve $(if $(POLL),--poll)

check: demo  ## report every problem in content/ without building
	$(WITH_DEMO) $(BIN)/kb check

screenshots: site  ## the README's pictures of the example wiki, from site/ in chromium
	$(BIN)/python demo/screenshots.py site demo/screenshots

test: $(VENV)/.installed  ## lint, then the whole test suite
	$(BIN)/ruff check kb plugins tests bench demo
	$(BIN)/python -m pytest

# Pagefind, for the search benchmark's comparison only.
$(VENV)/.bench: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

bench: $(VENV)/.bench  ## kb against plain Material (and Pagefind) at 1,000 and 10,000 pages, 3 rounds (SIZES=1000, REPEAT=1 to choose)
	$(BIN)/python bench/run.py --search $(if $(SIZES),--sizes $(SIZES))

# The build's memory at 50,000 pages under a 4 GiB limit, as a CI job's container would hold it. It
# needs a memory cgroup of its own (root on a CI runner or a machine of one's own) and half an hour.
MEMORY_CORPUS := build/corpus-50000

$(MEMORY_CORPUS):
	$(BIN)/python $(or $(KB_CORPUS_SCRIPT),../shared/bench/make_corpus.py) 50000 $@

bench-memory: $(VENV)/.installed $(MEMORY_CORPUS)  ## the build's memory at 50,000 pages inside a 4 GiB cgroup (LIMIT=3G to choose)
	$(BIN)/python bench/memory.py $(MEMORY_CORPUS) --limit $(or $(LIMIT),4G) --out bench/results.md

fuzz: $(VENV)/.installed  ## fuzz kb with new examples for FUZZ_MINUTES (20); failures go to tests/hostile/found/
	$(BIN)/python tests/fuzz_campaign.py --minutes $(or $(FUZZ_MINUTES),20)

clean:
	rm -rf site build $(VENV) .pytest_cache
