"""The chapters' exercise checks, registered for il.check: each value computed, never typed (Chapters 1-9)."""
import numpy as np

from . import datasets, initializers
from .exercises import register
from .experiments import deep_linear_chain
from .theory import chi1

# -- Chapter 1 -----------------------------------------------------------------------------

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

# -- Chapter 2 -----------------------------------------------------------------------------

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

# -- Chapter 3 -----------------------------------------------------------------------------

register("c3_glorot_normal_std", rtol=5e-3,
         value=lambda: initializers.get("glorot_normal").std((300, 784)),
         hint="Glorot's variance is 2 / (n_in + n_out); the std is its square root.")

# -- Chapter 4 -----------------------------------------------------------------------------

register("c4_he_uniform_limit", rtol=5e-3,
         value=lambda: initializers.get("he_uniform").std((128, 512)) * np.sqrt(3),
         hint="U(-r, r) has variance r**2 / 3: set it equal to the variance He asks for, 2 / n_in, "
              "and solve for r (n_in counts the inputs, not the outputs).")
register("c4_leaky_sigma_w2", rtol=0.01,
         value=lambda: initializers.gain("leaky_relu", 0.2) ** 2,
         hint="the variance is kept when sigma_w2 * E[leaky(z)**2] / Var(z) = 1; compute that ratio on "
              "each half of a symmetric z (for ReLU it is 1/2 and sigma_w2 = 2).")

# -- Chapter 5 -----------------------------------------------------------------------------

_SLOPE, _WIDTH, _FAN_IN = 0.2, 100, 256  # the exercises' leaky slope, layer width and fan-in

register("c5_leaky_he_std", value=np.sqrt(2 / ((1 + _SLOPE**2) * _WIDTH)), rtol=1e-3,
         hint="a leaky ReLU keeps E[g(z)^2] = c Var(z) for symmetric z: find c from the two halves "
              "of the distribution (slope 1 and slope 0.2), then ask n Var(w) c = 1. Answer with the "
              "standard deviation, not the variance.")

register("c5_he_uniform_limit", value=np.sqrt(6 / _FAN_IN), rtol=1e-3,
         hint="U(-r, r) has variance r^2 / 3; He initialization asks for variance 2 / fan_in. "
              "Answer with r for fan_in = 256.")

# -- Chapter 6 -----------------------------------------------------------------------------

register("c6_conv_he_uniform_limit", rtol=5e-3,
         value=lambda: initializers.get("he_uniform").std((128, 64, 3, 3)) * np.sqrt(3),
         hint="fan_in counts every input of one output unit: channels times the 3 x 3 kernel; "
              "U(-r, r) has variance r**2 / 3.")
register("c6_orthogonal_relu_gain", rtol=0.01,
         value=lambda: initializers.gain("relu"),
         hint="an orthogonal n x n matrix has Var(w) = 1/n, so sigma_w2 = gain**2; which sigma_w2 does "
              "a ReLU layer need to keep the variance (chapter 4, step 5)?")

# -- Chapter 7 -----------------------------------------------------------------------------

register("c7_relu_standard_ratio", value=1 / np.sqrt(6), rtol=0.03,
         hint="average a_std[l + 1] / a_std[l] over consecutive layers. To predict it, combine the "
              "variance of U(-c, c), the factor n * Var(W) of chapter 4's recursion and what ReLU "
              "does to E[z**2].")

# -- Chapter 8 -----------------------------------------------------------------------------

register("c8_trainable_depth", value=lambda: -6.0 / np.log(chi1(1.2, 0.05, "tanh")), rtol=1e-3,
         hint="sigma_w2 = 1.2 is on the ordered side (chi_1 < 1): there xi_c is -1/ln of the slope "
              "chi_1 that il.theory.chi1 gives; the trainable depth is six of those.")

# -- Chapter 9 -----------------------------------------------------------------------------

def _three_class_entropy(counts=(700, 200, 100)):
    """The cost at init of a net whose output layer predicts the class frequencies."""
    p = np.array(counts) / np.sum(counts)
    return float(-np.sum(p * np.log(p)))


register("c9_first_loss", value=_three_class_entropy, rtol=1e-3,
         hint="with the last weights at zero, every example gets the same probabilities: the priors. "
              "The cost is then the average of -ln(probability of the true class), weighted by how "
              "often each class occurs.")
register("c9_fixup_factor", value=16 ** (-1 / (2 * 3 - 2)), rtol=1e-6,
         hint="the factor is a power of the number of branches L, and the exponent depends on the "
              "layers per branch m (section Residual networks); here L = 16 and m = 3.")
