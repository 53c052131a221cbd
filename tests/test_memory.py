"""_memory.keep_freed_memory: steps stop page-faulting the memory the previous step freed."""
import subprocess
import sys

import pytest

CHURN = """
import resource, sys
import numpy as np
from initlab._memory import keep_freed_memory
if sys.argv[1] == "keep":
    keep_freed_memory()
def step():  # a training step's pattern: 30 activations of 200 KB alive at once, then freed
    return [np.ones(25_600) for _ in range(30)]
step()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(50):
    step()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def faults(mode):
    out = subprocess.run([sys.executable, "-c", CHURN, mode], capture_output=True, text=True,
                         check=True)
    return int(out.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_kept_memory_is_not_faulted_in_again():
    plain, kept = faults("plain"), faults("keep")
    assert plain > 50 * 30 * 25  # every 200 KB array came from a fresh mmap: ~50 pages each
    assert kept < plain / 20


def test_keep_freed_memory_is_idempotent():
    from initlab._memory import keep_freed_memory

    keep_freed_memory()
    keep_freed_memory()
