"""Chapter 8's exercise checks, registered for il.check."""
import numpy as np

from ..exercises import register
from ..theory import chi1

register("c8_trainable_depth", value=lambda: -6.0 / np.log(chi1(1.2, 0.05, "tanh")), rtol=1e-3,
         hint="sigma_w2 = 1.2 is on the ordered side (chi_1 < 1): there xi_c is -1/ln of the slope "
              "chi_1 that il.theory.chi1 gives; the trainable depth is six of those.")
