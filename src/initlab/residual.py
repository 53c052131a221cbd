"""A residual MLP: blocks x + alpha * branch(x), with branch scaling and gates (Chapter 9)."""
__all__ = []
