"""Decision trees with scikit-learn's estimator interface.

``barrow.tree.DecisionTreeClassifier`` fits a CART tree (Gini criterion,
exact best splits) in Rust with the GIL released. It follows scikit-learn's
conventions: ``fit``/``predict``/``predict_proba``/``score``,
``get_params``/``set_params``, ``classes_``, ``n_features_in_`` and
``feature_importances_``, and it pickles.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

import numpy as np

from . import _native

__all__ = ["DecisionTreeClassifier"]


def _as_matrix(X: Any, what: str = "X") -> np.ndarray:
    if hasattr(X, "__arrow_c_stream__") and not hasattr(X, "to_numpy"):
        import pyarrow as pa

        X = pa.table(X)
    if type(X).__module__.startswith("pyarrow") and hasattr(X, "columns"):
        X = np.column_stack([c.to_numpy() for c in X.columns]) if X.num_columns else np.empty((X.num_rows, 0))
    elif hasattr(X, "to_numpy"):
        X = X.to_numpy()
    arr = np.asarray(X)
    if arr.ndim != 2:
        raise ValueError(f"{what} must be 2-dimensional (n_samples, n_features), got shape {arr.shape}")
    if arr.dtype.kind not in "iufb":
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{what} has dtype {arr.dtype}; expected numeric features") from None
    return np.ascontiguousarray(arr, dtype=np.float64)


def _check_int(name: str, value: Any, low: int, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        extra = " or None" if allow_none else ""
        raise ValueError(f"{name} must be an integer >= {low}{extra}, got {value!r}")


class DecisionTreeClassifier:
    """CART classifier (criterion ``"gini"``).

    Parameters follow scikit-learn: ``max_depth`` (None grows until leaves
    are pure), ``min_samples_split`` and ``min_samples_leaf``.
    """

    def __init__(
        self,
        criterion: str = "gini",
        max_depth: Optional[int] = None,
        min_samples_split: int = 2,
        min_samples_leaf: int = 1,
    ) -> None:
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf

    # scikit-learn estimator protocol -------------------------------------
    def get_params(self, deep: bool = True) -> Dict[str, Any]:
        """Constructor parameters."""
        return {
            "criterion": self.criterion,
            "max_depth": self.max_depth,
            "min_samples_split": self.min_samples_split,
            "min_samples_leaf": self.min_samples_leaf,
        }

    def set_params(self, **params: Any) -> DecisionTreeClassifier:
        """Sets constructor parameters; unknown names raise ``ValueError``."""
        valid = self.get_params()
        for key, value in params.items():
            if key not in valid:
                raise ValueError(f"invalid parameter {key!r} for DecisionTreeClassifier; valid: {sorted(valid)}")
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"DecisionTreeClassifier({args})"

    def _native_tree(self) -> Any:
        if self.criterion != "gini":
            raise ValueError(f"criterion must be 'gini', got {self.criterion!r}")
        _check_int("max_depth", self.max_depth, 1, allow_none=True)
        _check_int("min_samples_split", self.min_samples_split, 2)
        _check_int("min_samples_leaf", self.min_samples_leaf, 1)
        return _native.DecisionTree(self.max_depth, int(self.min_samples_split), int(self.min_samples_leaf))

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> DecisionTreeClassifier:
        """Fits the tree; ``X`` is (n_samples, n_features) numeric, ``y`` any labels."""
        if sample_weight is not None:
            raise ValueError("sample_weight is not supported yet by barrow's DecisionTreeClassifier")
        tree = self._native_tree()
        names = getattr(X, "columns", None)
        Xa = _as_matrix(X)
        ya = np.asarray(y.to_numpy() if hasattr(y, "to_numpy") else y)
        if ya.ndim != 1:
            raise ValueError(f"y must be 1-dimensional, got shape {ya.shape}")
        if len(ya) != Xa.shape[0]:
            raise ValueError(f"X has {Xa.shape[0]} samples but y has {len(ya)}")
        if Xa.shape[0] == 0:
            raise ValueError("fit needs at least one sample; X is empty")
        if ya.dtype.kind == "f" and np.isnan(ya).any():
            raise ValueError("y contains NaN")
        classes, encoded = np.unique(ya, return_inverse=True)
        tree.fit(Xa, np.ascontiguousarray(encoded, dtype=np.uint32), len(classes))
        self.tree_ = tree
        self.classes_ = classes
        self.n_classes_ = len(classes)
        self.n_features_in_ = Xa.shape[1]
        if names is not None and all(isinstance(n, str) for n in names):
            self.feature_names_in_ = np.asarray(list(names), dtype=object)
        return self

    def _check_fitted(self) -> Any:
        tree = getattr(self, "tree_", None)
        if tree is None:
            raise ValueError("this DecisionTreeClassifier is not fitted yet; call fit first")
        return tree

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, columns in ``classes_`` order."""
        return self._check_fitted().predict_proba(_as_matrix(X))

    def predict(self, X: Any) -> np.ndarray:
        """Most probable class per sample."""
        tree = self._check_fitted()
        return self.classes_[tree.predict(_as_matrix(X))]

    def score(self, X: Any, y: Any) -> float:
        """Mean accuracy."""
        return float(np.mean(self.predict(X) == np.asarray(y)))

    @property
    def feature_importances_(self) -> np.ndarray:
        """Impurity-based importances (sum to 1)."""
        return np.asarray(self._check_fitted().feature_importances)

    def get_depth(self) -> int:
        """Depth of the fitted tree."""
        return int(self._check_fitted().depth)

    def get_n_nodes(self) -> int:
        """Number of nodes of the fitted tree."""
        return int(self._check_fitted().node_count)

    # pickling -------------------------------------------------------------
    def __getstate__(self) -> Dict[str, Any]:
        state = dict(self.__dict__)
        if "tree_" in state:
            state["tree_"] = state["tree_"].to_json()
        return state

    def __setstate__(self, state: Dict[str, Any]) -> None:
        state = dict(state)
        if isinstance(state.get("tree_"), str):
            state["tree_"] = _native.DecisionTree.from_json(state["tree_"])
        self.__dict__.update(state)
