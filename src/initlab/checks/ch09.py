"""Chapter 9's exercise checks, registered for il.check."""
import numpy as np

from ..exercises import register


def _label_entropy(counts=(700, 200, 100)):
    """The cost at init of a net whose output layer predicts the class frequencies."""
    p = np.array(counts) / np.sum(counts)
    return float(-np.sum(p * np.log(p)))


register("c9_first_loss", value=_label_entropy, rtol=1e-3,
         hint="with the last weights at zero, every example gets the same probabilities: the priors. "
              "The cost is then the average of -ln(probability of the true class), weighted by how "
              "often each class occurs.")
register("c9_fixup_factor", value=16 ** (-1 / (2 * 3 - 2)), rtol=1e-6,
         hint="the factor is a power of the number of branches L, and the exponent depends on the "
              "layers per branch m (section Residual networks); here L = 16 and m = 3.")
