#!/usr/bin/env bash
# The one build command, from a fresh clone: venv, dependencies, offline web assets, the book.
# Every run rebuilds from scratch (`clean`): an incremental Sphinx build would neither re-run
# notebooks after package edits nor repeat the warnings of unchanged pages, which -W must see.
set -euo pipefail
cd "$(dirname "$0")/.."
# one BLAS thread: the chapters' stored outputs (nbval's reference) were computed that way
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet -r requirements.txt
.venv/bin/python scripts/fetch_assets.py
.venv/bin/jupyter-book clean .
.venv/bin/jupyter-book build . -W -n --keep-going
