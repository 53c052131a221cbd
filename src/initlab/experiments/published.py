"""Chapter 7's table of published results: what each paper reports beside what this book measures."""
import numpy as np

from .._checks import seed_list
from ..report import fmt, n_seeds, summarize
from ..table import Table
from .assignment import CLASSIC_PUBLISHED, GLOROT_TABLE1, HE_INITS
from .criticality import lsuv_rescue, trainability
from .isometry import jacobian_spectra, saxe_depth
from .modern import batchnorm_gradients, lr_sweep
from .residual_stacks import residual_variance

__all__ = ["BEYOND_THE_NOTES", "published_results"]

BEYOND_THE_NOTES = [
    ("Saxe et al. 2014", "orthogonal init: learning time independent of depth; scaled Gaussian: "
     "grows with depth", "deep linear nets, theory and MNIST", 8, "_saxe"),
    ("Pennington et al. 2017", "ReLU nets cannot reach dynamical isometry; orthogonal tanh near "
     "criticality can, and learns much faster", "tanh and ReLU nets of 200 layers, CIFAR-10", 8, "_isometry"),
    ("Poole et al. 2016; Schoenholz et al. 2017", "tanh nets train up to about 6 ξ_c layers; "
     "ξ_c diverges at the edge of chaos", "fully connected nets up to 300 layers, MNIST and CIFAR-10", 8,
     "_trainable_depth"),
    ("Mishkin & Matas 2016 (LSUV)", "orthonormal init rescaled to unit output variance per layer trains "
     "deep nets near the state of the art", "conv nets, MNIST, CIFAR-10/100, ImageNet", 8, "_lsuv"),
    ("Zhang et al. 2019 (Fixup); Bachlechner et al. 2020 (ReZero)", "residual nets of 10,000 layers "
     "train without normalization once each branch starts at or near zero", "ResNets on CIFAR-10 and "
     "ImageNet; Transformers", 9, "_residual"),
    ("Yang et al. 2019", "without skip connections, gradients of a batch-normalized net explode with "
     "depth, whatever the init", "deep fully connected BatchNorm nets", 9, "_batchnorm"),
    ("Yang et al. 2022 (muP)", "the best learning rate moves with width under the standard "
     "parametrization and stays put under muP", "Transformers and MLPs, far wider than ours", 9, "_mup"),
]


def _count(seed):
    return n_seeds(len(seed_list(seed)))


def _steps(steps, max_steps):
    """'median 31 steps', or 'k of K within 100 steps' when not every seed got there."""
    done = np.isfinite(steps)
    if done.all():
        return f"median {fmt(float(np.median(steps)), 2)} steps"
    return f"{int(done.sum())} of {len(steps)} within {max_steps} steps"


def _saxe(seed, depths=(1, 16), width=16, max_steps=100):
    steps = saxe_depth(depths=depths, width=width, max_steps=max_steps, seed=seed).data["steps"]
    text = "; ".join(f"{w}: " + ", ".join(f"{_steps(steps[w, L], max_steps)} at depth {L}" for L in depths)
                     for w in ("orthogonal", "Gaussian"))
    return text, f"{width}-unit deep linear nets of depth {depths[0]} and {depths[-1]}, {_count(seed)}"


def _isometry(seed, depth=16, width=32):
    spread = jacobian_spectra(depths=(depth,), width=width, activations=("tanh", "relu"), seed=seed).data["spread"]
    return (f"Var(s²)/mean(s²)² of the Jacobian at depth {depth}: orthogonal tanh "
            f"{fmt(spread['tanh', 'orthogonal', depth], 2)}, "
            f"orthogonal ReLU {fmt(spread['relu', 'orthogonal', depth], 2)}, "
            f"Gaussian tanh {fmt(spread['tanh', 'Gaussian', depth], 2)} (median over seeds)",
            f"{width} units, depth {depth}, at init, {_count(seed)}")


def _trainable_depth(seed, sigma_w2=(0.5, 1.0), depths=(8, 16)):
    # the ordered side only: deeper or chaotic nets end in different places on different CPUs (chapter 8)
    d = trainability(sigma_w2=sigma_w2, depths=depths, seed=seed).data
    K = len(d["accuracy"][0, 0])
    return ("; ".join(f"σ_w² = {fmt(s, 2)}: 6 ξ_c = {fmt(6 * xi, 2)}, trains at depth "
                      + ", ".join(f"{L} in {k} of {K}" for L, k in zip(depths, ks))
                      for s, xi, ks in zip(sigma_w2, d["xi_c"], d["k"])),
            f"tanh, 24 units, 40 Adam steps on 64 digits, depths {' and '.join(map(str, depths))}, {_count(seed)}")


def _lsuv(seed, hidden=4, width=50, epochs=2):
    t = lsuv_rescue(activations=("sigmoid",), trained=("sigmoid",), depth=2, hidden=hidden, width=width,
                    epochs=epochs, seed=seed)
    return ("test accuracy >= 0.5: " + ", ".join(f"{how} {k}" for how, k in zip(t.column("init"),
                                                                               t.column("test accuracy >= 0.5"))),
            f"{hidden} hidden sigmoid layers of {width} units, digits, {epochs} epochs, {_count(seed)}; "
            f"centring the biases is chapter 8's addition, not the paper's")


def _residual(seed, n_blocks=100, width=32):
    t = residual_variance(n_blocks=n_blocks, width=width, seed=seed)
    ratio = dict(zip(t.column("fix"), t.column(f"Var(x[{n_blocks}]) / Var(x[0])")))
    return (f"Var(x[{n_blocks}]) / Var(x[0]) at init: {fmt(ratio.pop('none'), 2)} plain, "
            + ", ".join(f"{fmt(v, 2)} {fix}" for fix, v in ratio.items()),
            f"{n_blocks} residual blocks of {width} units, variance at init only (training: chapter 9), {_count(seed)}")


def _batchnorm(seed, depth=50, width=64):
    t = batchnorm_gradients(depth=depth, width=width, seed=seed)
    growth = dict(zip(t.column("net"), t.column("growth per layer")))
    return ("gradient growth per layer toward the input: " + ", ".join(f"{net} {fmt(g.median, 2)}"
                                                                      for net, g in growth.items()),
            f"{depth} ReLU layers of {width} units at init, {_count(seed)}")


def _mup(seed, widths=(32, 256), lrs=tuple(2.0 ** np.arange(-8, 1, 2))):
    t = lr_sweep(widths=widths, lrs=lrs, seed=seed)
    best = {(p, w): lr for p, w, lr in zip(t.column("parametrization"), t.column("width"), t.column("best lr"))}
    return ("best lr from width " + f"{widths[0]} to {widths[-1]}: " + "; ".join(
                f"{p} {fmt(best[p, widths[0]], 2)} to {fmt(best[p, widths[-1]], 2)}" for p in ("sp", "mup")),
            f"one hidden ReLU layer, Adam, widths {widths[0]} and {widths[-1]}, {_count(seed)}")


def published_results(classic, glorot, he, seed=range(8)):
    """The published claims side by side with our measurements: this chapter's and chapters 8-9's (Chapter 7).

    classic, glorot and he are the Tables of classic_assignment, glorot_training and he_stall; seed
    is the ensemble for the cheap settings of chapters 8 and 9's experiments run here.
    """
    for name, table, f, key in (("classic", classic, "classic_assignment", "net"),
                                ("glorot", glorot, "glorot_training", "better"), ("he", he, "he_stall", "acc")):
        if not isinstance(table, Table) or key not in table.data:
            raise TypeError(f"{name} must be the Table that il.experiments.{f} returns, got {table!r}")
    X_test, y_test = classic.data["X_test"], classic.data["y_test"]
    he_learns = {k: summarize(he.data["acc"][k], at_least=0.2).k_of_n for k in HE_INITS}
    rows = [("Classic assignment (DLS course 2)", f"He init: cost {fmt(CLASSIC_PUBLISHED['He'][1], 4)} at "
             f"iteration 14,000, test accuracy {fmt(CLASSIC_PUBLISHED['He'][3], 2)}",
             f"cost {fmt(classic.data['hist']['He'].cost[14000], 4)}, test accuracy "
             f"{fmt(classic.data['net']['He'].score(X_test, y_test), 2)}",
             "none: the same data, draws and algorithm", "7"),
            ("Glorot & Bengio 2010", f"normalized init beats standard on {len(GLOROT_TABLE1)} of {len(GLOROT_TABLE1)} "
             f"data sets (MNIST: {GLOROT_TABLE1['MNIST'][1]}% vs {GLOROT_TABLE1['MNIST'][0]}% error)",
             f"normalized lower error in {glorot.data['better'].k_of_n}",
             f"5 x 1000 units, trained to the end / {glorot.data['scale']}", "7"),
            ("He et al. 2015", "30 layers: Xavier init stalls, He init converges",
             f"test accuracy >= twice chance: He in {he_learns['He']}, Xavier in {he_learns['Xavier']}",
             f"ImageNet conv nets / {he.data['scale']}", "7")]
    for paper, report, theirs, chapter, measure in BEYOND_THE_NOTES:
        ours, scale = globals()[measure](seed)
        rows.append((paper, report, ours, f"{theirs} / {scale}", str(chapter)))
    return Table(rows, ["paper", "they report", "we measure", "scale: theirs / ours", "chapter"],
                 caption="Published results next to ours (chapters 8 and 9 at cheap settings)")
