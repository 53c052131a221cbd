"""Chapter 4's experiments: measured growth factors of variance per layer."""
__all__ = []
