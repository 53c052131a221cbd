"""Chapter 3's exercise checks, registered for il.check."""
from .. import initializers
from ..exercises import register

register("c3_glorot_normal_std", rtol=5e-3,
         value=lambda: initializers.get("glorot_normal").std((300, 784)),
         hint="Glorot's variance is 2 / (n_in + n_out); the std is its square root.")
