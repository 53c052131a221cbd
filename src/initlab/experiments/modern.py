"""Chapter 9's experiments: output bias, residual stacks, BatchNorm, width and learning rate."""
__all__ = []
