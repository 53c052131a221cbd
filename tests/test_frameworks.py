"""Chapter 6's experiments: framework formulas, the truncated normal, PyTorch's default and biases, orthogonal products."""
import math

import numpy as np
import pytest
from scipy.stats import norm

import initlab as il
from initlab.experiments import (fans_table, framework_initializers, keras_snippet, orthogonal_products,
                                 torch_bias_signal, torch_biases, torch_default_training)


def test_keras_snippet_truncates_he_normal_and_keeps_its_std():
    t = keras_snippet(shape=(64, 128), draws=50, seed=0)
    glorot, he, kaiming = t.rows
    assert t.data["stddev"] == pytest.approx(math.sqrt(2 / 128) / 0.87962566103423978, rel=1e-12)
    assert glorot[3] == pytest.approx(math.sqrt(6 / 192)) and glorot[4] <= glorot[3] < glorot[4] * 1.001
    assert he[3] == pytest.approx(2 * t.data["stddev"]) and he[4] <= he[3] and he[5] == 0
    for row in t.rows:
        assert row[2] == pytest.approx(row[1], rel=0.01)  # sampled std = target std
    # the untruncated normal puts P(|z| > 2 / 0.8796) of its mass beyond 2 stddev
    assert kaiming[3] is None and kaiming[4] > he[3]
    assert kaiming[5] / 100 == pytest.approx(2 * norm.sf(2 / 0.87962566103423978), rel=0.05)


def test_fans_table_reads_pytorch_order():
    t = fans_table([(64, 128), (128, 64), (64, 3, 3, 3), (3, 3, 3, 64)])
    assert t.column("fan_in") == (128, 64, 27, 576) and t.column("fan_out") == (64, 128, 576, 576)
    np.testing.assert_allclose(t.column("he_normal() std"), np.sqrt(2 / np.array([128, 64, 27, 576])),
                               rtol=1e-12)
    assert "xavier_normal(gain=1.0) std" in fans_table([(4, 4)], init="xavier_normal").columns


def test_framework_formulas_match_initlab_and_draws():
    t = framework_initializers(shape=(128, 256), seed=0)
    np.testing.assert_allclose(t.column("init.std"), t.column("formula"), rtol=1e-12)
    np.testing.assert_allclose(t.column("sampled"), t.column("formula"), rtol=0.02)
    row = dict(zip(t.column("initializer"), t.column("formula")))
    assert row["PyTorch nn.Linear default"] == pytest.approx(1 / 16 / math.sqrt(3))
    assert row["Keras HeNormal"] == pytest.approx(math.sqrt(2 / 256))
    assert row["Keras TruncatedNormal()"] < 0.05  # Keras does not correct the plain truncated normal
    assert len(t.rows) == len(t.data["initializers"]) == 17


def test_torch_biases_draw_within_one_over_sqrt_fan_in():
    net = il.MLP([30, 20, 5], seed=0)
    torch_biases(net, seed=0)
    for b, n in zip(net.biases, [30, 20]):
        assert np.all(np.abs(b) <= 1 / math.sqrt(n)) and np.abs(b).max() > 0.5 / math.sqrt(n)
    twin = torch_biases(il.MLP([30, 20, 5], seed=0), seed=0)
    for a, b in zip(net.biases, twin.biases):
        np.testing.assert_array_equal(a, b)
    ensemble = torch_biases(il.MLP([30, 20, 5], seed=range(3)), seed=0)
    assert ensemble.biases[0].shape == (3, 20) and np.abs(ensemble.biases[0]).max() <= 1 / math.sqrt(30)


def test_torch_bias_signal_reaches_the_fixed_point_and_loses_the_input():
    t = torch_bias_signal(depth=20, width=100, layers=(1, 20), seed=0)
    fixed = t.data["fixed_point"]
    assert fixed == pytest.approx(math.sqrt(2 / 500))
    assert t.column("std z, zero biases")[-1] < 1e-6
    assert t.column("std z, PyTorch biases")[-1] == pytest.approx(fixed, rel=0.2)
    assert t.column("signal, PyTorch biases")[-1] < 1e-6 * t.column("std z, PyTorch biases")[-1]
    assert t.column("signal, PyTorch biases")[0] > 0.1


def test_torch_default_training_small():
    t = torch_default_training(seeds=range(2), depth=12, width=32, epochs=2, lr=0.05, seed=0)
    assert len(t.rows) == 3 and t.column("seeds above 0.2")[:2] == (0, 0)
    for h in t.data["histories"].values():
        assert h.cost.shape == (3, 2)
    assert t.column("cost at init (median)")[0] == pytest.approx(math.log(10), abs=0.01)


def test_orthogonal_products_keep_every_singular_value():
    t = orthogonal_products(width=16, depths=(1, 3, 30), seed=0)
    for d in (1, 3, 30):
        np.testing.assert_allclose(t.data["spectra"]["orthogonal", d], 1.0, atol=1e-12)
    s = t.data["spectra"]["N(0, 1/n)", 3]
    gauss = [r for r in t.rows if r[0] == "N(0, 1/n)"]
    assert gauss[1][4] == pytest.approx(np.exp(np.mean(np.log(s))), rel=1e-8)  # det = product of sigmas
    assert gauss[-1][5] == "< 1e-10 σ_max" and gauss[-1][6] == "> 1e10"
    assert gauss[0][6] == pytest.approx(gauss[0][2] / gauss[0][5], rel=1e-12)


@pytest.mark.parametrize("call, error, match", [
    (lambda: keras_snippet(draws=0), ValueError, "draws"),
    (lambda: keras_snippet(shape=(0, 3)), ValueError, "shape"),
    (lambda: fans_table([(3, 3)], init="nope"), ValueError, "nope"),
    (lambda: framework_initializers(shape="x"), ValueError, "shape"),
    (lambda: torch_bias_signal(width=0), ValueError, "width"),
    (lambda: torch_bias_signal(layers=(0, 5)), ValueError, "layers"),
    (lambda: torch_bias_signal(seed=-1), ValueError, "seed"),
    (lambda: orthogonal_products(depths=(0,)), ValueError, "depth"),
    (lambda: orthogonal_products(seed="a"), TypeError, "seed"),
])
def test_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()
