"""The chapters' exercise checks: importing this package registers them for il.check."""
from . import ch01, ch02, ch03, ch04, ch05, ch06, ch07, ch08, ch09  # noqa: F401
