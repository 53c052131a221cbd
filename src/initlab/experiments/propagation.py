"""Chapter 8's experiments: dynamical isometry, the edge of chaos, LSUV."""
__all__ = []
