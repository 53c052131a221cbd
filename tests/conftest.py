"""Shared test set-up: matplotlib draws off-screen; plots, static and widgets run warning-free."""
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture
def strict_warnings():
    """Turn every warning into an error for the test, then close its figures."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
    plt.close("all")
