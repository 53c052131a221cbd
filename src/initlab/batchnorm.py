"""BatchNorm: normalize each unit over the batch, with its exact backward pass (Chapter 9)."""
__all__ = []
