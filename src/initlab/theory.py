"""Mean-field signal propagation in wide random nets: length map, q*, chi_1, depth scales, phase (Chapter 8).

W ~ N(0, sigma_w2 / n) and b ~ N(0, sigma_b2), as in Poole et al. (2016) and Schoenholz et al. (2017).
Expectations over z ~ N(0, 1) use Gauss-Legendre on each half line cut at abs(z) = 12 (tail < 1e-32):
the relu family has a kink at 0, where Gauss-Hermite converges only like n^-1.5.
"""
import numpy as np
from scipy.optimize import brentq

from . import activations
from ._checks import check_int, check_number

_x, _w = np.polynomial.legendre.leggauss(80)
_x, _w = 6.0 * (_x + 1.0), _w * np.exp(-18.0 * (_x + 1.0) ** 2)
Z = np.concatenate([-_x[::-1], _x])  # no node at 0, so sqrt(inf) * z stays +-inf
WEIGHTS = np.concatenate([_w[::-1], _w]) / (2.0 * _w.sum())  # each half line weighs exactly 1/2
_Z1, _Z2 = (a.ravel() for a in np.meshgrid(Z, Z))
_W2 = np.outer(WEIGHTS, WEIGHTS).ravel()


def _args(sigma_w2, sigma_b2, activation):
    sigma_w2 = check_number("sigma_w2", sigma_w2, minimum=0.0, strict=True)
    sigma_b2 = check_number("sigma_b2", sigma_b2, minimum=0.0)
    return sigma_w2, sigma_b2, activations.get(activation)


def _expect(h):  # E[h(z)] from h on the nodes Z
    return float(WEIGHTS @ h)


def _slope2(f, q):
    """E[phi'(sqrt(q) z)^2], with the q -> 0+ limit at q = 0."""
    u = np.array([1e-30, -1e-30]) if q == 0 else np.sqrt(q) * Z  # one-sided slopes at 0
    d = np.asarray(f.derivative(u, f(u)), dtype=np.float64) ** 2
    return float(d.mean()) if q == 0 else _expect(d)


def _pair(q, c):  # two N(0, q) variables with correlation c, on the product grid
    return np.sqrt(q) * _Z1, np.sqrt(q) * (c * _Z1 + np.sqrt(1 - c * c) * _Z2)


def length_map(q, sigma_w2, sigma_b2, activation="tanh"):
    """q_next = sigma_w2 E[phi(sqrt(q) z)^2] + sigma_b2: the next layer's Var(z) from this one's (Chapter 8)."""
    q = check_number("q", q, minimum=0.0)
    sigma_w2, sigma_b2, f = _args(sigma_w2, sigma_b2, activation)
    with np.errstate(all="ignore"):  # a large q overflows inside sigmoid-like f: harmless
        return sigma_w2 * _expect(f(np.sqrt(q) * Z) ** 2) + sigma_b2


def fixed_point(sigma_w2, sigma_b2, activation="tanh", q0=1.0):
    """q*: the fixed point the length map reaches from q0, or inf if q grows past a 1e12 cap (Chapter 8)."""
    sigma_w2, sigma_b2, f = _args(sigma_w2, sigma_b2, activation)
    q0 = check_number("q0", q0, minimum=0.0)

    def g(q):
        return length_map(q, sigma_w2, sigma_b2, f) - q

    q, cap = q0, 1e12 * max(1.0, q0, sigma_b2)  # past cap, a "q*" is the quadrature's rounding
    for _ in range(200):
        q_next = length_map(q, sigma_w2, sigma_b2, f)
        if not q_next < cap:
            return np.inf
        if abs(q_next - q) <= 1e-15 * q_next:
            return q_next
        q = q_next
    # slow, power-law convergence: bracket the root in the direction the iteration travels
    if g(q) > 0:
        hi = 2.0 * q
        while length_map(hi, sigma_w2, sigma_b2, f) >= hi:  # >=: at 1e16, q + 0.1 rounds to q
            hi *= 2.0
            if hi > cap:
                return np.inf
        return brentq(g, q, hi, rtol=1e-14)
    lo = q / 2.0
    while g(lo) < 0:
        lo /= 2.0
        if lo < 1e-12 and g(0.0) == 0.0:
            return 0.0
    return brentq(g, lo, q, rtol=1e-14)


def chi1(sigma_w2, sigma_b2, activation="tanh"):
    """chi_1 = sigma_w2 E[phi'(sqrt(q*) z)^2]: the correlation map's slope at c = 1 (Chapter 8)."""
    sigma_w2, sigma_b2, f = _args(sigma_w2, sigma_b2, activation)
    with np.errstate(all="ignore"):
        return sigma_w2 * _slope2(f, fixed_point(sigma_w2, sigma_b2, f))


def critical_sigma_w2(sigma_b2, activation="tanh"):
    """The sigma_w2 with chi_1 = 1 for this sigma_b2: the edge of chaos (Chapter 8)."""
    sigma_b2 = check_number("sigma_b2", sigma_b2, minimum=0.0)
    f = activations.get(activation)

    def excess(log_s):
        return chi1(np.exp(log_s), sigma_b2, f) - 1.0

    lo, hi = np.log(1e-3), np.log(1e3)
    if not excess(lo) < 0 < excess(hi):
        raise ValueError(f"chi_1 does not cross 1 for sigma_w2 in [1e-3, 1e3], sigma_b2={sigma_b2!r}, {f!r}")
    for _ in range(60):  # bisection: chi_1 - 1 can touch 0 quadratically (tanh, sigma_b2 = 0)
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if excess(mid) < 0 else (lo, mid)
    return float(np.exp(0.5 * (lo + hi)))


def _finite_q(sigma_w2, sigma_b2, f, what):
    q = fixed_point(sigma_w2, sigma_b2, f)
    if not np.isfinite(q):
        raise ValueError(f"{what} needs a finite q*; q grows without bound for sigma_w2={sigma_w2!r}, "
                         f"sigma_b2={sigma_b2!r}, activation {f!r}")
    return q


def _depth(chi):
    with np.errstate(all="ignore"):
        return np.inf if chi >= 1.0 else float(-1.0 / np.log(chi))


def xi_q(sigma_w2, sigma_b2, activation="tanh"):
    """-1/ln(chi_q), chi_q the length map's slope at q*: depth over which q approaches q* (Chapter 8)."""
    sigma_w2, sigma_b2, f = _args(sigma_w2, sigma_b2, activation)
    q = _finite_q(sigma_w2, sigma_b2, f, "xi_q")
    if q == 0:  # phi(0) = 0: the slope is chi_1's q -> 0+ limit
        return _depth(sigma_w2 * _slope2(f, 0.0))
    u = np.sqrt(q) * Z  # d/dq E[phi(sqrt(q) z)^2] = E[z phi phi'] / sqrt(q)
    with np.errstate(all="ignore"):
        return _depth(sigma_w2 * _expect(Z * f(u) * f.derivative(u, f(u))) / np.sqrt(q))


def correlation_map(c, sigma_w2, sigma_b2, activation="tanh"):
    """c_next = (sigma_w2 E[phi(u1) phi(u2)] + sigma_b2) / q*, u1, u2 at q* with correlation c (Chapter 8)."""
    c = check_number("c", c, minimum=-1.0, maximum=1.0)
    sigma_w2, sigma_b2, f = _args(sigma_w2, sigma_b2, activation)
    q = _finite_q(sigma_w2, sigma_b2, f, "the correlation map")
    if q == 0:
        return 1.0  # every input is mapped to the same point
    u1, u2 = _pair(q, c)
    with np.errstate(all="ignore"):
        return float(min((sigma_w2 * np.sum(_W2 * f(u1) * f(u2)) + sigma_b2) / q, 1.0))


def correlation_fixed_point(sigma_w2, sigma_b2, activation="tanh"):
    """c*: 1 in the ordered phase, the stable correlation below 1 in the chaotic one (Chapter 8)."""
    sigma_w2, sigma_b2, f = _args(sigma_w2, sigma_b2, activation)
    q = _finite_q(sigma_w2, sigma_b2, f, "c*")
    if q == 0 or chi1(sigma_w2, sigma_b2, f) <= 1.0:
        return 1.0
    excess = lambda c: correlation_map(c, sigma_w2, sigma_b2, f) - c  # noqa: E731
    if excess(0.0) <= 0.0:  # an odd phi without bias maps c = 0 to itself
        return 0.0
    # iterating the map from 0 crawls near the edge (slope -> 1); below 1, c_map(c) < c just under 1
    gap = 1e-3
    while excess(1.0 - gap) >= 0.0 and gap > 1e-12:
        gap /= 10.0
    return float(brentq(excess, 0.0, 1.0 - gap, xtol=1e-15, rtol=1e-15))


def xi_c(sigma_w2, sigma_b2, activation="tanh"):
    """-1/ln(chi_c), chi_c the correlation map's slope at c*: infinite at criticality (Chapter 8)."""
    sigma_w2, sigma_b2, f = _args(sigma_w2, sigma_b2, activation)
    q = _finite_q(sigma_w2, sigma_b2, f, "xi_c")
    c = correlation_fixed_point(sigma_w2, sigma_b2, f)
    if c == 1.0:
        return _depth(chi1(sigma_w2, sigma_b2, f))
    u1, u2 = _pair(q, c)
    with np.errstate(all="ignore"):
        return _depth(float(sigma_w2 * np.sum(_W2 * f.derivative(u1, f(u1)) * f.derivative(u2, f(u2)))))


def phase(sigma_w2, sigma_b2, activation="tanh", tol=1e-6):
    """'ordered' (chi_1 < 1), 'critical' (abs(chi_1 - 1) <= tol) or 'chaotic' (chi_1 > 1) (Chapter 8)."""
    tol = check_number("tol", tol, minimum=0.0)
    c = chi1(sigma_w2, sigma_b2, activation)
    return "critical" if abs(c - 1.0) <= tol else ("ordered" if c < 1.0 else "chaotic")


def variance_recursion(depth, q1=1.0, sigma_w2=1.0, sigma_b2=0.0, activation="tanh"):
    """q_1, ..., q_depth: the length map iterated from layer 1's variance q1 (Chapters 4 and 8)."""
    depth = check_int("depth", depth)
    q = [check_number("q1", q1, minimum=0.0)]
    for _ in range(depth - 1):
        q.append(length_map(q[-1], sigma_w2, sigma_b2, activation))
    return np.array(q)


def critical_decay(depth, activation="tanh"):
    """1/(c l), l = 1..depth: q_l's power law at criticality, 1/(2l) for tanh (Chapters 4 and 8)."""
    depth = check_int("depth", depth)
    f = activations.get(activation)
    slope2 = _slope2(f, 0.0)
    if float(f(np.zeros(1))[0]) != 0.0 or slope2 == 0:
        raise ValueError(f"critical_decay needs phi(0) = 0 and phi'(0) != 0, not activation {f!r}")
    sigma_w2 = 1.0 / slope2  # critical at sigma_b2 = 0, where the map near 0 is q - c q^2
    c_h, c_h2 = ((h - length_map(h, sigma_w2, 0.0, f)) / h**2 for h in (1e-3, 5e-4))
    c = 2.0 * c_h2 - c_h  # Richardson: c(h) = c - k h + O(h^2)
    if not (c > 1e-6 and abs(c_h - c_h2) < 1e-2 * c):  # elu's map has a q^(3/2) term: no such law
        raise ValueError(f"q_l does not decay like 1/l for activation {f!r} (map q - c q^2 with c = {c:.3g})")
    return 1.0 / (c * np.arange(1, depth + 1))
