"""Chapter 2's exercise checks, registered for il.check."""
import numpy as np

from ..exercises import register
from ..experiments import deep_linear_chain


def _chain_interval(depth=50, factor=2.0):
    """The w for which the norm of the chain W = wI stays within `factor` of |x| (bisection)."""
    def within(w):
        a = deep_linear_chain(w, depth)["a_norm"]
        return bool(np.all((a >= a[0] / factor) & (a <= a[0] * factor)))

    ends = []
    for inside, outside in ((1.0, 0.5), (1.0, 2.0)):
        for _ in range(60):
            mid = (inside + outside) / 2
            inside, outside = (mid, outside) if within(mid) else (inside, mid)
        ends.append(inside)
    return tuple(ends)


register("c2_chain_interval", value=_chain_interval, rtol=1e-3,
         hint="the norm after l layers is w**l |x|: which l is the worst case, and where does "
              "w**l reach 1/2 and 2? Answer with the two ends (lo, hi).")
