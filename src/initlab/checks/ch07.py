"""Chapter 7's exercise checks, registered for il.check."""
import numpy as np

from ..exercises import register

register("c7_relu_standard_ratio", value=1 / np.sqrt(6), rtol=0.03,
         hint="average a_std[l + 1] / a_std[l] over consecutive layers. To predict it, combine the "
              "variance of U(-c, c), the factor n * Var(W) of chapter 4's recursion and what ReLU "
              "does to E[z**2].")
