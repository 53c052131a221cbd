"""Predictions and scores of a trained network, for any model with forward, check_X and check_Xy (Chapter 1)."""
import numpy as np


class Scoring:
    """predict_proba, predict and score, shared by MLP and ResidualMLP (Chapter 1)."""

    def predict_proba(self, X):
        """Output activations: probabilities of class 1 (sigmoid), of each class (softmax)."""
        with np.errstate(all="ignore"):
            out = self.forward(self.check_X(X), keep=False)[1][-1]
        return out[..., 0] if out.shape[-1] == 1 else out

    def predict(self, X):
        """Class labels (sigmoid, softmax) or values (linear), shape (m,) or (K, m) (Chapter 1)."""
        p = self.predict_proba(X)
        if self.output == "sigmoid":
            return (p > 0.5).astype(np.int64)
        if self.output == "softmax":
            return np.argmax(p, axis=-1)
        return p

    def score(self, X, y):
        """Accuracy for classifiers, R^2 for regression (scikit-learn's): a float or one per member."""
        X, Y = self.check_Xy(X, y)
        p = self.predict(X)
        if self.output == "linear":
            Yhat = p.reshape(p.shape[:-1] + Y.shape)  # R^2 per output, averaged, as scikit-learn does
            with np.errstate(all="ignore"):  # a diverged member's R^2 is -inf or nan
                r2 = 1.0 - (np.sum((Y - Yhat) ** 2, axis=-2)
                            / np.sum((Y - Y.mean(axis=0)) ** 2, axis=0))
            s = np.mean(r2, axis=-1)
        else:
            s = np.mean(p == np.asarray(y).reshape(p.shape[-1:]), axis=-1)
        return float(s) if self.n_members is None else s
