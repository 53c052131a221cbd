#!/usr/bin/env bash
# The one build command, from a fresh clone: venv, locked dependencies, offline web assets, the book.
# Every run rebuilds from scratch (`clean`): an incremental Sphinx build would neither re-run
# notebooks after package edits nor repeat the warnings of unchanged pages, which -W must see.
# INITLAB_DEPS=newest installs the newest versions requirements.txt allows instead of the lock.
set -euo pipefail
cd "$(dirname "$0")/.."
# one BLAS thread: the chapters' stored outputs (nbval's reference) were computed that way
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
[ -x .venv/bin/python ] || python3 -m venv .venv
case "${INITLAB_DEPS:-lock}" in
    lock)  # the exact versions of requirements.lock, then the package itself without dependencies
        .venv/bin/python -m pip install --quiet -r requirements.lock
        .venv/bin/python -m pip install --quiet --no-deps -e . ;;
    newest)  # the weekly drift check: the newest versions that requirements.txt's ranges allow
        .venv/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -r requirements.txt ;;
    *) echo "INITLAB_DEPS must be lock or newest, got '$INITLAB_DEPS'" >&2; exit 2 ;;
esac
.venv/bin/python scripts/fetch_assets.py
.venv/bin/jupyter-book clean .
.venv/bin/jupyter-book build . -W -n --keep-going
