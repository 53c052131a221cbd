"""Figures of initialization in modern networks: residual variance, learning-rate sweeps (Chapter 9)."""
__all__ = []
