"""Chapter 5's experiments: the sigmoid's mean, the tanh gain, the dead-unit census."""
__all__ = []
