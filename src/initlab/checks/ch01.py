"""Chapter 1's exercise checks, registered for il.check."""
import numpy as np

from .. import datasets
from ..exercises import register


def _label_entropy():
    """The cost of predicting the class frequencies of the moons' training labels, in nats."""
    y = datasets.moons(seed=0)[1]
    q = float(np.mean(y))
    return -(q * np.log(q) + (1 - q) * np.log(1 - q))


register("c1_label_entropy", value=_label_entropy, rtol=1e-6,
         hint="a network that has learned nothing but the output bias predicts the same probability "
              "for every example: which probability minimizes the mean cross-entropy, and what is the "
              "cost there? Use natural logarithms and the training labels of moons(seed=0).")

def _logit_ratio_ok(answer):
    """True for 1e4 (to 1e-6 relative), or an array of per-example ratios that are all 1e4."""
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return False
    return bool(got.size) and bool(np.all(np.abs(got - 1e4) <= 1e-6 * 1e4))


register("c1_relu_logit_ratio", accept=_logit_ratio_ok,
         hint="with zero biases relu(c * z) = c * relu(z) for c > 0: follow the factor 10 through "
              "each weight layer, output layer included, or divide the logits of the two networks.")
