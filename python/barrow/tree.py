"""Decision trees with scikit-learn's estimator interface.

``DecisionTreeClassifier`` (criteria ``"gini"``, ``"entropy"``/``"log_loss"``)
and ``DecisionTreeRegressor`` (``"squared_error"``) grow histogram CART trees
in Rust with the GIL released: features are binned once into at most
``max_bins`` (255) quantile bins, NaN is read as missing and sent to the side
learned at each split. Parameters, attributes and methods follow
scikit-learn (``fit``/``predict``/``predict_proba``/``score``,
``get_params``/``set_params``, ``classes_``, ``n_features_in_``,
``feature_names_in_``, ``feature_importances_``), so the estimators drop into
pipelines, grid searches and ``clone``; they pickle, and ``to_json`` gives the
versioned model that ``barrow.spark.apply_model`` broadcasts. Requires
scikit-learn (``pip install barrow[ml]``).
"""

from __future__ import annotations

import json
import numbers
from typing import Any, Dict, Optional

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted

from . import _native

try:  # scikit-learn >= 1.6
    from sklearn.utils.validation import validate_data as _validate_data
except ImportError:  # pragma: no cover - older scikit-learn

    def _validate_data(estimator: Any, *args: Any, **kwargs: Any) -> Any:
        if "ensure_all_finite" in kwargs:
            kwargs["force_all_finite"] = kwargs.pop("ensure_all_finite")
        return estimator._validate_data(*args, **kwargs)


__all__ = ["DecisionTreeClassifier", "DecisionTreeRegressor"]


def _to_frame(X: Any) -> Any:
    """Arrow tables and polars frames become pandas (keeping column names)."""
    module = type(X).__module__
    if module.startswith("polars"):
        return X.to_pandas()
    if module.startswith("pyarrow") and hasattr(X, "column_names"):
        return X.to_pandas()
    return X


def _max_features(value: Any, is_classifier_default: bool) -> Any:
    """scikit-learn's ``max_features`` as the core's JSON form."""
    if value is None:
        return "all"
    if isinstance(value, str):
        if value in ("sqrt", "log2"):
            return value
        raise ValueError(f"max_features must be 'sqrt', 'log2', an int, a float in (0, 1] or None, got {value!r}")
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        if value < 1:
            raise ValueError(f"max_features must be >= 1, got {value}")
        return {"count": int(value)}
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if not 0.0 < value <= 1.0:
            raise ValueError(f"max_features as a float must be in (0, 1], got {value}")
        return {"fraction": float(value)}
    raise ValueError(f"max_features must be 'sqrt', 'log2', an int, a float or None, got {value!r}")


def _int_param(name: str, value: Any, low: int, allow_none: bool = False) -> Optional[int]:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        extra = " or None" if allow_none else ""
        raise ValueError(f"{name} must be an integer >= {low}{extra}, got {value!r}")
    return int(value)


def _fraction(name: str, value: Any, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0.0 <= value <= high:
        raise ValueError(f"{name} must be a number in [0, {high}], got {value!r}")
    return float(value)


class _BaseTreeModel(BaseEstimator):
    """Shared fit/predict plumbing of barrow's tree estimators."""

    _kind = "tree"
    _is_classifier = True

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags

    def _more_tags(self) -> Dict[str, Any]:  # scikit-learn < 1.6
        return {"allow_nan": True}

    # --- parameters -------------------------------------------------------
    def _tree_params(self, seed: int) -> Dict[str, Any]:
        criteria = ("gini", "entropy", "log_loss") if self._is_classifier else ("squared_error",)
        if self.criterion not in criteria:
            raise ValueError(f"criterion must be one of {criteria}, got {self.criterion!r}")
        decrease = self.min_impurity_decrease
        if isinstance(decrease, bool) or not isinstance(decrease, numbers.Real) or not decrease >= 0:
            raise ValueError(f"min_impurity_decrease must be a number >= 0, got {decrease!r}")
        return {
            "criterion": "entropy" if self.criterion == "log_loss" else self.criterion,
            "max_depth": _int_param("max_depth", self.max_depth, 1, allow_none=True),
            "min_samples_split": _int_param("min_samples_split", self.min_samples_split, 2),
            "min_samples_leaf": _int_param("min_samples_leaf", self.min_samples_leaf, 1),
            "min_weight_fraction_leaf": _fraction("min_weight_fraction_leaf", self.min_weight_fraction_leaf, 0.5),
            "min_impurity_decrease": float(decrease),
            "max_features": _max_features(self.max_features, self._is_classifier),
            "max_leaf_nodes": _int_param("max_leaf_nodes", self.max_leaf_nodes, 2, allow_none=True),
            "max_bins": _int_param("max_bins", self.max_bins, 2),
            "random_state": seed,
        }

    def _class_weight(self) -> Any:
        cw = getattr(self, "class_weight", None)
        if cw is None:
            return "none"
        if cw in ("balanced", "balanced_subsample"):
            if cw == "balanced_subsample" and self._kind != "forest":
                raise ValueError("class_weight='balanced_subsample' applies to forests; use 'balanced'")
            return cw
        if isinstance(cw, dict):
            return {"custom": [float(cw.get(c, 1.0)) for c in self.classes_]}
        raise ValueError(f"class_weight must be None, 'balanced' or a dict, got {cw!r}")

    def _native_params(self, seed: int) -> Dict[str, Any]:
        return {"tree": self._tree_params(seed), "class_weight": self._class_weight()}

    # --- fit / predict ----------------------------------------------------
    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Any:
        """Fits on ``X`` (n_samples, n_features; NaN is missing) and ``y``."""
        X = _to_frame(X)
        X, y = _validate_data(
            self, X, y, dtype=np.float64, order="C", ensure_all_finite="allow-nan", y_numeric=not self._is_classifier
        )
        seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        kwargs: Dict[str, Any] = {}
        if self._is_classifier:
            check_classification_targets(y)
            self.classes_, encoded = np.unique(y, return_inverse=True)
            self.n_classes_ = len(self.classes_)
            kwargs.update(y_classes=np.ascontiguousarray(encoded, dtype=np.uint32), n_classes=self.n_classes_)
        else:
            kwargs.update(y_values=np.ascontiguousarray(y, dtype=np.float64))
        if sample_weight is not None:
            sample_weight = np.ascontiguousarray(_check_sample_weight(sample_weight, X, dtype=np.float64))
        params = json.dumps(self._native_params(seed))
        self.model_ = _native.fit_model(self._kind, X, params, sample_weight=sample_weight, **kwargs)
        self._after_fit(X)
        return self

    def _after_fit(self, X: np.ndarray) -> None:
        pass

    def _values(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "model_")
        X = _validate_data(self, _to_frame(X), dtype=np.float64, order="C", ensure_all_finite="allow-nan", reset=False)
        return self.model_.predict_values(X)

    @property
    def feature_importances_(self) -> np.ndarray:
        """Impurity-based importances (sum to 1)."""
        check_is_fitted(self, "model_")
        return np.asarray(self.model_.feature_importances)

    def to_json(self) -> str:
        """The fitted model as versioned JSON (for ``barrow.spark.apply_model``)."""
        check_is_fitted(self, "model_")
        return self.model_.to_json()

    # --- pickling ---------------------------------------------------------
    def __getstate__(self) -> Dict[str, Any]:
        state = super().__getstate__()
        if "model_" in state:
            state = dict(state, model_=state["model_"].to_json())
        return state

    def __setstate__(self, state: Dict[str, Any]) -> None:
        if isinstance(state.get("model_"), str):
            state = dict(state, model_=_native.Model.from_json(state["model_"]))
        super().__setstate__(state)


class _ClassifierOutputs:
    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, columns in ``classes_`` order."""
        return self._values(X)

    def predict_log_proba(self, X: Any) -> np.ndarray:
        """Log of :meth:`predict_proba`."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X: Any) -> np.ndarray:
        """Most probable class per sample (the first on ties)."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class _TreeShape:
    def get_depth(self) -> int:
        """Depth of the fitted tree."""
        check_is_fitted(self, "model_")
        return int(self.model_.tree_sizes[0][0])

    def get_n_nodes(self) -> int:
        """Number of nodes of the fitted tree."""
        check_is_fitted(self, "model_")
        return int(self.model_.tree_sizes[0][1])

    def get_n_leaves(self) -> int:
        """Number of leaves of the fitted tree."""
        check_is_fitted(self, "model_")
        return int(self.model_.tree_sizes[0][2])


class DecisionTreeClassifier(_ClassifierOutputs, _TreeShape, ClassifierMixin, _BaseTreeModel):
    """Histogram CART classifier; parameters as scikit-learn's
    ``DecisionTreeClassifier`` plus ``max_bins`` (bins per feature, <= 255)."""

    def __init__(
        self,
        criterion: str = "gini",
        max_depth: Optional[int] = None,
        min_samples_split: int = 2,
        min_samples_leaf: int = 1,
        min_weight_fraction_leaf: float = 0.0,
        max_features: Any = None,
        random_state: Any = None,
        max_leaf_nodes: Optional[int] = None,
        min_impurity_decrease: float = 0.0,
        class_weight: Any = None,
        max_bins: int = 255,
    ) -> None:
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.random_state = random_state
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.class_weight = class_weight
        self.max_bins = max_bins


class DecisionTreeRegressor(_TreeShape, RegressorMixin, _BaseTreeModel):
    """Histogram CART regressor (squared error); parameters as
    scikit-learn's ``DecisionTreeRegressor`` plus ``max_bins``."""

    _is_classifier = False

    def __init__(
        self,
        criterion: str = "squared_error",
        max_depth: Optional[int] = None,
        min_samples_split: int = 2,
        min_samples_leaf: int = 1,
        min_weight_fraction_leaf: float = 0.0,
        max_features: Any = None,
        random_state: Any = None,
        max_leaf_nodes: Optional[int] = None,
        min_impurity_decrease: float = 0.0,
        max_bins: int = 255,
    ) -> None:
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.random_state = random_state
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.max_bins = max_bins

    def predict(self, X: Any) -> np.ndarray:
        """Predicted values."""
        return self._values(X)[:, 0]
