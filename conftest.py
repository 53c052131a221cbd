"""Run numpy's BLAS single-threaded in tests and in the notebook kernels nbval starts.

Sums inside a matrix product are ordered differently with more threads, so the last bits of a
result depend on the thread count; the chapters' stored outputs were computed with one thread.
One thread is also faster for the small matrices here on a shared 2-core machine.
"""
import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
