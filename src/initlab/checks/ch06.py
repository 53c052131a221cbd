"""Chapter 6's exercise checks, registered for il.check."""
import numpy as np

from .. import initializers
from ..exercises import register

register("c6_conv_he_uniform_limit", rtol=5e-3,
         value=lambda: initializers.get("he_uniform").std((128, 64, 3, 3)) * np.sqrt(3),
         hint="fan_in counts every input of one output unit: channels times the 3 x 3 kernel; "
              "U(-r, r) has variance r**2 / 3.")
