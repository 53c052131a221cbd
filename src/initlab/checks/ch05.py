"""Chapter 5's exercise checks, registered for il.check."""
import numpy as np

from ..exercises import register

LEAKY_SLOPE, WIDTH, FAN_IN = 0.2, 100, 256


register("c5_leaky_he_std", value=np.sqrt(2 / ((1 + LEAKY_SLOPE**2) * WIDTH)), rtol=1e-3,
         hint="a leaky ReLU keeps E[g(z)^2] = c Var(z) for symmetric z: find c from the two halves "
              "of the distribution (slope 1 and slope 0.2), then ask n Var(w) c = 1. Answer with the "
              "standard deviation, not the variance.")

register("c5_he_uniform_limit", value=np.sqrt(6 / FAN_IN), rtol=1e-3,
         hint="U(-r, r) has variance r^2 / 3; He initialization asks for variance 2 / fan_in. "
              "Answer with r for fan_in = 256.")
