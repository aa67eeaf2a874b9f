"""Random forests with scikit-learn's estimator interface.

``RandomForestClassifier`` and ``RandomForestRegressor`` train barrow's
histogram CART trees (see :mod:`barrow.tree`) on bootstrap samples, in
parallel in Rust with the GIL released; features are binned once for the
whole forest. Parameters follow scikit-learn's (``n_estimators``,
``max_features`` defaulting to ``"sqrt"`` for classifiers and ``1.0`` for
regressors, ``bootstrap``, ``oob_score``, ``max_samples``, ``class_weight``
including ``"balanced_subsample"``, ``random_state``), as do the fitted
attributes (``classes_``, ``n_features_in_``, ``feature_importances_``,
``oob_score_``, ``oob_decision_function_`` / ``oob_prediction_``). Tree
``t`` is seeded from ``random_state`` and ``t``, so results do not depend on
the thread count. ``n_jobs`` is accepted for compatibility; barrow uses
rayon's pool (all cores, or ``RAYON_NUM_THREADS``).
"""

from __future__ import annotations

import numbers
from typing import Any, Dict, Optional

import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin

from .tree import _BaseTreeModel, _ClassifierOutputs, _int_param

__all__ = ["RandomForestClassifier", "RandomForestRegressor"]


class _BaseForest(_BaseTreeModel):
    _kind = "forest"

    def _native_params(self, seed: int) -> Dict[str, Any]:
        max_samples = self.max_samples
        n = self._n_samples
        if max_samples is None:
            draws = None
        elif isinstance(max_samples, numbers.Integral) and not isinstance(max_samples, bool):
            draws = _int_param("max_samples", max_samples, 1)
        elif isinstance(max_samples, numbers.Real) and 0.0 < max_samples <= 1.0:
            draws = max(1, round(n * float(max_samples)))
        else:
            raise ValueError(f"max_samples must be None, an int >= 1 or a float in (0, 1], got {max_samples!r}")
        if draws is not None and not self.bootstrap:
            raise ValueError("max_samples needs bootstrap=True")
        return {
            "tree": self._tree_params(seed),
            "n_estimators": _int_param("n_estimators", self.n_estimators, 1),
            "bootstrap": bool(self.bootstrap),
            "max_samples": draws,
            "oob_score": bool(self.oob_score),
            "class_weight": self._class_weight(),
        }

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Any:
        """Fits ``n_estimators`` trees on bootstrap samples of ``X``, ``y``."""
        self._n_samples = len(X) if hasattr(X, "__len__") else 0
        try:
            return super().fit(X, y, sample_weight)
        finally:
            del self._n_samples

    def _after_fit(self, X: np.ndarray) -> None:
        self.n_estimators_ = len(self.model_.tree_sizes)
        if self.oob_score:
            self.oob_score_ = float(self.model_.oob_score)
            oob = self.model_.oob_prediction()
            if self._is_classifier:
                self.oob_decision_function_ = oob
            else:
                self.oob_prediction_ = oob[:, 0]

    def tree_depths(self) -> np.ndarray:
        """Depth of each fitted tree."""
        return np.array([d for d, _, _ in self.model_.tree_sizes])


class RandomForestClassifier(_ClassifierOutputs, ClassifierMixin, _BaseForest):
    """Random forest of histogram CART classifiers (scikit-learn's parameters
    plus ``max_bins``)."""

    def __init__(
        self,
        n_estimators: int = 100,
        criterion: str = "gini",
        max_depth: Optional[int] = None,
        min_samples_split: int = 2,
        min_samples_leaf: int = 1,
        min_weight_fraction_leaf: float = 0.0,
        max_features: Any = "sqrt",
        max_leaf_nodes: Optional[int] = None,
        min_impurity_decrease: float = 0.0,
        bootstrap: bool = True,
        oob_score: bool = False,
        n_jobs: Optional[int] = None,
        random_state: Any = None,
        class_weight: Any = None,
        max_samples: Any = None,
        max_bins: int = 255,
    ) -> None:
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.class_weight = class_weight
        self.max_samples = max_samples
        self.max_bins = max_bins


class RandomForestRegressor(RegressorMixin, _BaseForest):
    """Random forest of histogram CART regressors (scikit-learn's parameters
    plus ``max_bins``)."""

    _is_classifier = False

    def __init__(
        self,
        n_estimators: int = 100,
        criterion: str = "squared_error",
        max_depth: Optional[int] = None,
        min_samples_split: int = 2,
        min_samples_leaf: int = 1,
        min_weight_fraction_leaf: float = 0.0,
        max_features: Any = 1.0,
        max_leaf_nodes: Optional[int] = None,
        min_impurity_decrease: float = 0.0,
        bootstrap: bool = True,
        oob_score: bool = False,
        n_jobs: Optional[int] = None,
        random_state: Any = None,
        max_samples: Any = None,
        max_bins: int = 255,
    ) -> None:
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.max_samples = max_samples
        self.max_bins = max_bins

    def predict(self, X: Any) -> np.ndarray:
        """Mean of the trees' predictions."""
        return self._values(X)[:, 0]
