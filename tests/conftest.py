"""Shared test set-up: matplotlib draws off-screen; plots, static and widgets run warning-free.

Tiers: `pytest tests` is the unit tier; tests/browser runs only when named (`pytest tests/browser`)
or under the bare `pytest`, whose testpaths (tests, chapters) mean every tier.
"""
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

BROWSER = Path(__file__).resolve().parent / "browser"


def pytest_ignore_collect(collection_path, config):
    """Skip collecting tests/browser unless the bare `pytest` runs or an argument is inside it."""
    if collection_path != BROWSER or config.args_source == pytest.Config.ArgsSource.TESTPATHS:
        return None
    for arg in config.args:
        path = Path(config.invocation_params.dir, arg.split("::")[0]).resolve()
        if path == BROWSER or BROWSER in path.parents:
            return None
    return True


@pytest.fixture
def strict_warnings():
    """Turn every warning into an error for the test, then close its figures."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
    plt.close("all")
