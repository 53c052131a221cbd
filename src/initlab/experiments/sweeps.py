"""Chapter 3's experiments: scale sweeps over deep networks and the bias study."""
__all__ = []
