"""Chapter 6's experiments: framework defaults and orthogonal weights in deep networks."""
__all__ = []
