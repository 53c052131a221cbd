"""Figures of signal propagation: Jacobian spectra, the mean-field phase diagram (Chapter 8)."""
__all__ = []
