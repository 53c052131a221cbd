"""Chapter 6's exercise checks, registered for il.check."""
import numpy as np

from .. import initializers
from ..exercises import register

register("c6_conv_he_uniform_limit", rtol=5e-3,
         value=lambda: initializers.get("he_uniform").std((128, 64, 3, 3)) * np.sqrt(3),
         hint="fan_in counts every input of one output unit: channels times the 3 x 3 kernel; "
              "U(-r, r) has variance r**2 / 3.")
register("c6_orthogonal_relu_gain", rtol=0.01,
         value=lambda: initializers.gain("relu"),
         hint="an orthogonal n x n matrix has Var(w) = 1/n, so sigma_w2 = gain**2; which sigma_w2 does "
              "a ReLU layer need to keep the variance (chapter 4, step 5)?")
