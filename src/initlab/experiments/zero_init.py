"""Chapter 1's experiments: zero, too-small and too-large initializations by activation."""
__all__ = []
