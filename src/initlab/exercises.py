"""Exercise checks: il.check(name, answer) says correct or gives a hint, never the answer (Chapter 1)."""
import numbers

import numpy as np



class Exercise:
    """One exercise's expected answer (a value, or a function computing it) or predicate, tolerance and hint."""

    def __init__(self, name, hint, value=None, accept=None, rtol=0.0, atol=0.0):
        if (value is None) == (accept is None):
            raise ValueError(f"exercise {name!r} needs exactly one of value= and accept=")
        self.name, self.hint, self.rtol, self.atol = name, hint, float(rtol), float(atol)
        self._value, self.accept = value, accept

    @property
    def value(self):
        """The expected answer; a function given as value is called once, on first use."""
        if callable(self._value):
            self._value = self._value()
        return self._value

    def is_correct(self, answer):
        """True when answer matches the expected value within rtol/atol (or passes accept)."""
        if self.accept is not None:
            return bool(self.accept(answer))
        expected = self.value
        if isinstance(expected, str):
            return isinstance(answer, str) and answer.strip().lower() == expected.strip().lower()
        try:
            got = np.asarray(answer, dtype=float)
        except (TypeError, ValueError):
            return False
        want = np.asarray(expected, dtype=float)
        if got.shape != want.shape or not np.all(np.isfinite(got)):
            return False
        return bool(np.all(np.abs(got - want) <= self.atol + self.rtol * np.abs(want)))

    def __repr__(self):  # never the expected value
        return f"Exercise({self.name!r}, rtol={self.rtol:g}, atol={self.atol:g})"


EXERCISES = {}


def register(name, hint, value=None, accept=None, rtol=0.0, atol=0.0):
    """Add an exercise to the registry that il.check reads (Chapter 1)."""
    if not isinstance(name, str) or not name:
        raise TypeError(f"exercise name must be a non-empty str, got {name!r}")
    for label, tol in (("rtol", rtol), ("atol", atol)):
        if not isinstance(tol, numbers.Real) or isinstance(tol, bool) or not 0 <= tol < np.inf:
            raise ValueError(f"{label} must be a finite number >= 0, got {tol!r}")
    EXERCISES[name] = Exercise(name, hint, value, accept, rtol, atol)
    return EXERCISES[name]


def check(name, answer):
    """Print "correct", "not quite: <hint>" or "not answered yet" (answer = ...) (Chapter 1)."""
    if name not in EXERCISES:
        raise ValueError(f"unknown exercise {name!r}; the exercises are {sorted(EXERCISES)}")
    if answer is Ellipsis:
        print("not answered yet")
    elif EXERCISES[name].is_correct(answer):
        print("correct")
    else:
        print(f"not quite: {EXERCISES[name].hint}")
