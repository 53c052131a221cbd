"""Chapter 4's exercise checks, registered for il.check."""
import numpy as np

from .. import initializers
from ..exercises import register

register("c4_he_uniform_limit", rtol=5e-3,
         value=lambda: initializers.get("he_uniform").std((128, 512)) * np.sqrt(3),
         hint="U(-r, r) has variance r**2 / 3: set it equal to the variance He asks for, 2 / n_in, "
              "and solve for r (n_in counts the inputs, not the outputs).")
register("c4_leaky_sigma_w2", rtol=0.01,
         value=lambda: initializers.gain("leaky_relu", 0.2) ** 2,
         hint="the variance is kept when sigma_w2 * E[leaky(z)**2] / Var(z) = 1; compute that ratio on "
              "each half of a symmetric z (for ReLU it is 1/2 and sigma_w2 = 2).")
