"""Chapter 1's experiments: symmetry, zero init by activation, too small/too large, the playground."""
import numpy as np
import pytest

import initlab as il
from initlab.experiments import playground, row_spread, symmetry, too_small_too_large, zero_init


def test_row_spread_is_the_largest_difference_to_the_first_row():
    W = np.array([[1.0, 2.0], [1.5, 2.0], [1.0, -1.0]])
    assert row_spread(W) == 3.0
    stack = np.stack([W, np.ones((3, 2))])
    np.testing.assert_array_equal(row_spread(stack), [3.0, 0.0])
    with pytest.raises(ValueError, match="matrix.*shape \\(3,\\)"):
        row_spread(np.ones(3))


def test_constant_weights_keep_equal_rows_and_rank_at_most_one():
    t = symmetry(seed=0, n_seeds=2, epochs=20)
    assert t.columns == ("activation", "init", "row spread", "rank W1", "rank W2", "train accuracy")
    assert len(t.rows) == 9
    for (act, init), spread in t.data["spread"].items():
        ranks = t.data["rank"][act, init]
        if init == "N(0, 1/n)":
            assert spread > 0.1 and [r.tolist() for r in ranks] == [[2, 2], [5, 5]]
            assert len(t.data["accuracy"][act, init]) == 2
        else:
            assert spread < 1e-12 and all(r.max() <= 1 for r in ranks)
            assert len(t.data["accuracy"][act, init]) == 1  # a constant draws nothing: one net
    zero_rows = [r for r in t.rows if r[1] == "zeros" and r[0] != "sigmoid"]
    assert all(r[3] == 0 and r[4] == 0 for r in zero_rows)  # tanh/relu zeros never move


def test_zero_init_gradients_follow_the_derivation():
    t = zero_init(seed=0, n_seeds=2, epochs=30)
    d = t.data
    X, y, _, _ = il.datasets.moons(seed=0)
    q = y.mean()
    assert d["q"] == q and d["entropy"] == pytest.approx(-(q * np.log(q) + (1 - q) * np.log(1 - q)), rel=1e-15)
    assert d["grad_norm"]["tanh, zeros"] == [0.0, 0.0] and d["grad_norm"]["relu, zeros"] == [0.0, 0.0]
    # sigmoid: 10 hidden units output 1/2, so each dW^[L] entry is (1/2 - q)/2
    hidden, out = d["grad_norm"]["sigmoid, zeros"]
    assert hidden == 0.0 and out == pytest.approx(np.sqrt(10) * abs(0.5 - q) / 2, rel=1e-12)
    # logistic regression from zeros: dW = mean((1/2 - y) x)
    want = np.linalg.norm(((0.5 - y)[:, None] * X).mean(axis=0))
    assert d["grad_norm"]["logistic regression"][0] == pytest.approx(want, rel=1e-12)
    assert d["spread"]["sigmoid, zeros"] < 1e-12 and d["spread"]["logistic regression"] is None
    assert d["nets"]["sigmoid, N(0, 1/n)"].n_members is None and len(d["accuracy"]["sigmoid, N(0, 1/n)"]) == 2
    for run in ("tanh, zeros", "relu, zeros"):  # only the output bias moves
        net = d["nets"][run]
        assert all(np.all(W == 0) for W in net.weights) and net.biases[-1][0] != 0


def test_too_small_too_large_relu_is_exactly_homogeneous():
    t = too_small_too_large(factors=(1.0, 10.0), seed=0, n_seeds=2, epochs=3)
    one, ten = (t.data["stats"]["relu", f]["a_std"] for f in (1.0, 10.0))
    np.testing.assert_allclose(ten[:, :3] / one[:, :3], [[10, 100, 1000]] * 2, rtol=1e-9)
    assert t.data["cost"]["tanh"]["λ = 10"].shape == (4, 2)
    assert [r[:2] for r in t.rows][:2] == [("tanh", 1.0), ("tanh", 10.0)] and len(t.rows) == 6
    # flat at init: tanh units saturated at lambda = 10, none at lambda = 1
    flat = {r[:2]: r[5] for r in t.rows}
    assert flat["tanh", 1.0] < 1 < 20 < flat["tanh", 10.0]


def test_chaos_threshold_decides_what_is_printed():
    calm = too_small_too_large(factors=(10.0,), seed=0, n_seeds=2, epochs=40, chaos=1e9)
    assert calm.data["chaotic"] == [] and all(isinstance(r[7], float) for r in calm.rows)
    every = too_small_too_large(factors=(10.0,), seed=0, n_seeds=2, epochs=40, chaos=0.0)
    moved = [key for key, v in every.data["drift"].items() if v > 0]
    assert moved and every.data["chaotic"] == moved
    assert all(r[7] == "varies" for r in every.rows if r[:2] in moved)


def test_playground_snapshots_and_costs():
    t = playground(seed=0, n_seeds=2, checkpoints=(0, 4, 10), rises_within=5)
    d = t.data
    assert d["cost"]["Zero"].shape == (11, 1) and d["cost"]["Too large"].shape == (11, 2)
    assert d["cost"]["Zero"][0, 0] == pytest.approx(np.log(2), rel=1e-15)
    assert set(d["nets"]["Appropriate"]) == {0, 4, 10}
    big, ok = d["nets"]["Too large"][0], d["nets"]["Appropriate"][0]  # same seed, factor 10
    for Wb, Wo in zip(big.weights, ok.weights):
        np.testing.assert_allclose(Wb, 10 * Wo, rtol=1e-15)
    c = d["cost"]["Too large"]
    np.testing.assert_array_equal(d["rises"]["Too large"], np.sum(c[1:6] > c[:5] * (1 + 1e-6), axis=0))
    # each snapshot is the network after that many epochs: its cost is the curve's
    X, y = d["X"], d["y"]
    assert d["nets"]["Appropriate"][4].cost(X, y) == pytest.approx(d["cost"]["Appropriate"][4, 0], rel=1e-12)
    assert [r[0] for r in t.rows] == ["Zero", "Too small", "Appropriate", "Too large"]


def test_same_seed_same_table_other_seed_other_draws():
    a, b = (str(symmetry(seed=3, n_seeds=2, epochs=5)) for _ in range(2))
    assert a == b
    one, other = (symmetry(seed=s, n_seeds=2, epochs=5).data["spread"]["tanh", "N(0, 1/n)"] for s in (0, 5))
    assert one != other


@pytest.mark.parametrize("call,match", [
    (lambda: symmetry(n_seeds=0), "n_seeds must be an int >= 1"),
    (lambda: zero_init(seed=-1), "seed must be an int >= 0"),
    (lambda: too_small_too_large(factors=(0.0,)), "factor must be > 0"),
    (lambda: playground(checkpoints=(5, 10)), "start at 0 and increase"),
    (lambda: playground(checkpoints=(0, 10, 10)), "start at 0 and increase"),
])
def test_bad_arguments_raise_and_name_the_value(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_experiments_are_exported():
    for name in ("symmetry", "zero_init", "too_small_too_large", "playground", "row_spread"):
        assert getattr(il.experiments, name) is globals()[name]


def test_chapter_1_checks_judge_answers(capsys):
    from initlab.exercises import EXERCISES

    y = il.datasets.moons(seed=0)[1]
    q = y.mean()
    entropy = -(q * np.log(q) + (1 - q) * np.log(1 - q))
    cases = [("c1_label_entropy", entropy, np.log(2)), ("c1_relu_logit_ratio", np.full((5, 1), 1e4), 1e3)]
    for name, right, wrong in cases:
        il.check(name, right)
        assert capsys.readouterr().out == "correct\n"
        il.check(name, wrong)
        out = capsys.readouterr().out
        assert out.startswith("not quite: ") and il.fmt(entropy, 3) not in out and "10000" not in out
    il.check("c1_relu_logit_ratio", "ten thousand")
    assert capsys.readouterr().out.startswith("not quite: ")
    assert EXERCISES["c1_label_entropy"].value == pytest.approx(entropy, rel=1e-15)
