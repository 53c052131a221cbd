#!/usr/bin/env bash
# nbval over the chapters under each floating-point environment their stored outputs must pass
# (CPUs pick other BLAS kernels and numpy SIMD paths); prints one row per environment and exits 1
# if any row failed.   Usage: bash scripts/check_portability.sh [--ci] [notebook.ipynb ...]
#   --ci   only the rows CI may run: never a forced OPENBLAS_CORETYPE (on some processors a
#          forced kernel crashes), and OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE left as the machine
#          set them. Otherwise each row runs with both unset unless the row sets one.
#   PYTHON=...  the interpreter (default .venv/bin/python); logs stay in a printed temp folder.
set -uo pipefail
ci=0
if [ "${1:-}" = "--ci" ]; then ci=1; shift; fi
notebooks=()
for nb in "$@"; do notebooks+=("$(realpath "$nb")"); done
cd "$(dirname "$0")/.."
[ ${#notebooks[@]} -gt 0 ] || notebooks=(chapters/*.ipynb)
py=${PYTHON:-.venv/bin/python}
avx512=0
grep -qw avx512f /proc/cpuinfo && avx512=1
logs=$(mktemp -d /tmp/portability.XXXXXX)

# label | environment the row sets | needs (any, avx512) | allowed in CI (ci, local)
rows=(
    "default (1 BLAS thread)||any|ci"
    "NPY_DISABLE_CPU_FEATURES=X86_V4 AVX512_ICL AVX512_SPR|NPY_DISABLE_CPU_FEATURES=X86_V4 AVX512_ICL AVX512_SPR|avx512|ci"
    "OPENBLAS_CORETYPE=Haswell|OPENBLAS_CORETYPE=Haswell|any|local"
    "OPENBLAS_CORETYPE=SkylakeX|OPENBLAS_CORETYPE=SkylakeX|avx512|local"
    "OPENBLAS_NUM_THREADS=2|OPENBLAS_NUM_THREADS=2|any|ci"
)
unset_vars=(-u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
if [ "$ci" = 1 ]; then
    unset_vars=()
    for var in OPENBLAS_CORETYPE OPENBLAS_L2_SIZE; do
        [ -n "${!var:-}" ] && echo "note: $var=${!var} is kept, as the machine set it"
    done
fi

echo "${#notebooks[@]} notebook(s); logs in $logs"
printf '%-55s | %6s | %6s | %7s\n' environment passed failed seconds
status=0
n=0
for row in "${rows[@]}"; do
    IFS='|' read -r label sets needs where <<<"$row"
    n=$((n + 1))
    if [ "$ci" = 1 ] && [ "$where" != ci ]; then continue; fi
    if [ "$needs" = avx512 ] && [ "$avx512" = 0 ]; then
        printf '%-55s | %6s | %6s | %7s\n' "$label" n/a n/a "no AVX-512 on this CPU"
        continue
    fi
    assign=(OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1)
    [ -n "$sets" ] && assign+=("$sets")
    log="$logs/row$n.log"
    start=$EPOCHREALTIME
    env "${unset_vars[@]}" "${assign[@]}" "$py" -m pytest -c pyproject.toml --rootdir . -q \
        "${notebooks[@]}" >"$log" 2>&1
    rc=$?
    seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
    summary=$(tail -n 1 "$log")
    passed=$(grep -Eo '[0-9]+ passed' <<<"$summary" | cut -d' ' -f1)
    failed=$(grep -Eo '[0-9]+ (failed|errors?)' <<<"$summary" | awk '{ s += $1 } END { print s }')
    passed=${passed:-0} failed=${failed:-0}
    if [ "$rc" -ne 0 ]; then
        status=1
        [ "$failed" = 0 ] && failed="rc=$rc"
    fi
    printf '%-55s | %6s | %6s | %7s\n' "$label" "$passed" "$failed" "$seconds"
    [ "$rc" -ne 0 ] && echo "    see $log"
done
exit "$status"
