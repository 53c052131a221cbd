"""initlab: weight initialization in neural networks, measured.

The engine behind the initlab course: initializers, an MLP with exact backprop, a training loop
that records per-layer statistics, data sets, plots and explorers. Every number in the book
comes from here.
"""
from . import activations, datasets, initializers, losses, optimizers, stats
from .mlp import MLP
from .report import Summary, fmt, glue, summarize
from .stats import deep_linear_chain, layer_stats, random_chain, variance_profile
from .train import History, fit

__version__ = "0.1.0"

__all__ = ["activations", "datasets", "initializers", "losses", "optimizers", "stats", "MLP",
           "History", "fit", "layer_stats", "variance_profile", "deep_linear_chain",
           "random_chain", "Summary", "fmt", "glue", "summarize", "plots", "widgets", "static"]


def __dir__():
    return sorted(set(globals()) | set(__all__))


def __getattr__(name):
    # plots, widgets and static import matplotlib/ipywidgets: load them on first use
    if name in ("plots", "widgets", "static"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'initlab' has no attribute {name!r}")
