# Analyst notebooks (issue 7). Included from the Makefile: `include notebooks/notebooks.mk`.
# Runs both marimo notebooks headless on a small generated world (out/notebooks/) and
# exports them as offline HTML; view with `python -m http.server -d out/notebooks`.
NOTEBOOKS_OUT ?= out/notebooks

notebooks: env ## run the analyst notebooks headless on a small world, export HTML (out/notebooks/)
	$(BIN)/python notebooks/export.py --out $(abspath $(NOTEBOOKS_OUT)) -- --root $(abspath $(NOTEBOOKS_OUT))
