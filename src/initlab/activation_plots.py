"""Activation functions and their derivatives, drawn side by side (Chapter 1)."""
__all__ = []
