# Two commands do all set-up on a fresh machine (Python 3.11, Java 17, git, make):
#   make run   - create .venv, install tajsec, run `tajsec check` over the whole graph
#   make test  - create .venv with the test extras, run pytest
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test mutation browser java-tools format format-check coverage docs readme-picture clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=23"

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(BIN)/tajsec check

test: $(VENV)/.installed-test browser java-tools
	$(BIN)/python -m pytest

# Mutation testing of the core modules (cosmic-ray): every mutant, each against only the tests
# that cover its module; writes build/mutation/report.md. Not part of `make test`, which runs a
# fixed sample of the mutants against recorded floors (tests/test_mutation_ratchet.py).
mutation: $(VENV)/.installed-test
	$(BIN)/python tests/mutation/mutate.py

# The browser tests drive Debian's Chromium. Installed when missing and we are root (as in CI);
# otherwise those tests skip and say why.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  else echo "note: chromium not installed and not root: browser tests will be skipped"; fi; }

# Two tests run Java tools from Debian when they are installed: the cross-engine SHACL test
# (tests/test_cross_engine.py, Apache Jena SHACL: libapache-jena-java) and the OWL 2 DL profile
# check of the released ontology (tests/test_release.py, the OWL API: libowlapi-java). Installed
# when missing and we are root (as in CI); otherwise those tests skip and say why.
java-tools:
	@[ -f /usr/share/java/jena-shacl.jar ] && [ -f /usr/share/java/owlapi-api.jar ] || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      libapache-jena-java libowlapi-java >/dev/null; \
	  else echo "note: libapache-jena-java or libowlapi-java not installed and not root: the Jena and OWL API tests will be skipped"; fi; }

# Rewrite the hand-edited Turtle in the house layout (turtlefmt, pinned in pyproject.toml).
format: $(VENV)/.installed
	$(BIN)/turtlefmt ontology/*.ttl instances/*.ttl shapes/*.ttl

format-check: $(VENV)/.installed
	$(BIN)/turtlefmt --check ontology/*.ttl instances/*.ttl shapes/*.ttl

coverage: $(VENV)/.installed
	$(BIN)/tajsec coverage --source ../shared/source/matveeva-tajikistan-security-sector.txt

docs: $(VENV)/.installed
	$(BIN)/tajsec docs -o site

# The picture the README shows, drawn afresh (tests/test_golden.py fails while it is stale).
readme-picture: $(VENV)/.installed
	$(BIN)/python -c "from pathlib import Path; from tajsec.graph.build import build; from tajsec.core.project import Project; \
	  from tajsec.io.write import atomic_write_bytes; from tajsec.site.pictures import draw; \
	  atomic_write_bytes(Path('docs/img/assistance.png'), draw('assistance', build(Project(Path('.').resolve()))).png)"

clean:
	rm -rf $(VENV) build .pytest_cache
