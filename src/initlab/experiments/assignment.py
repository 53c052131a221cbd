"""Chapter 7's experiments: the classic assignment, Glorot & Bengio, He et al."""
__all__ = []
