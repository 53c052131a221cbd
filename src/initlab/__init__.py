"""initlab: weight initialization in neural networks, measured.

The engine behind the initlab course: initializers, an MLP with exact backprop, a training loop
that records per-layer statistics, data sets, plots and explorers. Every number in the book
comes from here.
"""
from . import (activations, datasets, experiments, initializers, jacobian, losses, optimizers, record, stats,
               theory)
from .exercises import check
from . import checks  # registers the chapters' exercises for check
from .experiments import deep_linear_chain, random_chain, variance_profile
from .history import History
from .jacobian import input_output_jacobian, jacobian_singular_values
from .lsuv import LSUVResult, lsuv
from . import batchnorm, residual
from .batchnorm import *  # noqa: F401,F403  (Chapter 9)
from .mlp import MLP, Pass
from .residual import *  # noqa: F401,F403  (Chapter 9)
from .mup import WidthScaling, width_scaling
from .report import Summary, fmt, glue, summarize
from .table import Table
from .stats import layer_stats
from .train import fit

__version__ = "0.1.0"

__all__ = ["activations", "datasets", "experiments", "initializers", "losses", "optimizers", "record",
           "stats", "MLP", "Pass", "History", "fit", "layer_stats", "variance_profile",
           "deep_linear_chain", "random_chain", "Summary", "Table", "fmt", "glue", "summarize", "check", "checks",
           "theory", "jacobian", "input_output_jacobian", "jacobian_singular_values", "lsuv", "LSUVResult",
           "width_scaling", "WidthScaling",
           "plots", "widgets", "static"] + residual.__all__ + batchnorm.__all__


def __dir__():
    return sorted(set(globals()) | set(__all__))


def __getattr__(name):
    # plots, widgets and static import matplotlib/ipywidgets: load them on first use
    if name in ("plots", "widgets", "static"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'initlab' has no attribute {name!r}")
