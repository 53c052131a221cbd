"""Keep freed memory in the process: the one speed trick outside the lesson code (train.fit).

A training step frees all its activations at once. glibc then hands the top of the heap back to
the OS (M_TRIM_THRESHOLD) and serves arrays over 128 KB from fresh mmaps (M_MMAP_THRESHOLD), so
the next step page-faults the same memory in again. An 8-member ensemble of the 30-layer digits
net makes 200 KB activations: measured here, 133,000 page faults for 2 epochs, and the ensemble
took 1.15x the time of eight separate fits; with both thresholds raised, 28,000 faults and 0.96x
(benchmarks/bench_engine.py, workload d). The price: a process keeps up to 512 MB it freed.
Only glibc has mallopt; elsewhere nothing changes.
"""
import ctypes
import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameter numbers
_kept = False


def keep_freed_memory():
    """Raise glibc's trim and mmap thresholds once per process (no-op elsewhere)."""
    global _kept
    if _kept or not sys.platform.startswith("linux"):
        return
    _kept = True
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # not glibc
        return
    mallopt(M_MMAP_THRESHOLD, 32 << 20)  # glibc's largest allowed value on 64-bit
    mallopt(M_TRIM_THRESHOLD, 512 << 20)
