"""barrow.ensemble against scikit-learn, and scikit-learn's estimator checks."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_friedman1
from sklearn.ensemble import RandomForestClassifier as SkForest
from sklearn.ensemble import RandomForestRegressor as SkForestReg
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import check_estimator

from barrow.ensemble import RandomForestClassifier, RandomForestRegressor
from barrow.tree import DecisionTreeClassifier, DecisionTreeRegressor

# Checks that cannot hold, with the reason (scikit-learn's own forests list the same one).
BOOTSTRAP_WEIGHTS = (
    "a bootstrap draws a row of weight 2 once with double weight, but two copies of the row "
    "independently, so the sampled trees differ (scikit-learn's forests fail this check too)"
)
EXPECTED_FAILURES = {
    "DecisionTreeClassifier": {},
    "DecisionTreeRegressor": {},
    "RandomForestClassifier": {"check_sample_weight_equivalence_on_dense_data": BOOTSTRAP_WEIGHTS},
    "RandomForestRegressor": {"check_sample_weight_equivalence_on_dense_data": BOOTSTRAP_WEIGHTS},
}


@pytest.mark.parametrize(
    "estimator",
    [
        DecisionTreeClassifier(),
        DecisionTreeRegressor(),
        RandomForestClassifier(n_estimators=5),
        RandomForestRegressor(n_estimators=5),
    ],
    ids=lambda e: type(e).__name__,
)
def test_sklearn_estimator_checks(estimator):
    expected = EXPECTED_FAILURES[type(estimator).__name__]
    failed = {}

    def record(**kw):
        if kw["status"] == "failed":
            failed[kw["check_name"]] = str(kw["exception"])[:200]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_estimator(estimator, on_fail=None, callback=record)
    unexpected = {k: v for k, v in failed.items() if k not in expected}
    assert not unexpected, unexpected


def test_forest_accuracy_and_oob_track_sklearn():
    X, y = make_classification(6000, 20, n_informative=8, flip_y=0.05, random_state=0)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=0)
    ours = RandomForestClassifier(n_estimators=40, oob_score=True, random_state=0).fit(Xtr, ytr)
    ref = SkForest(n_estimators=40, oob_score=True, random_state=0).fit(Xtr, ytr)
    assert abs(ours.score(Xte, yte) - ref.score(Xte, yte)) < 0.015
    assert abs(ours.oob_score_ - ref.oob_score_) < 0.02
    assert ours.oob_decision_function_.shape == (len(ytr), 2)
    assert np.corrcoef(ours.feature_importances_, ref.feature_importances_)[0, 1] > 0.9


def test_regression_forest_tracks_sklearn():
    X, y = make_friedman1(n_samples=4000, noise=0.5, random_state=1)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=1)
    ours = RandomForestRegressor(n_estimators=40, oob_score=True, random_state=0).fit(Xtr, ytr)
    ref = SkForestReg(n_estimators=40, oob_score=True, random_state=0).fit(Xtr, ytr)
    assert ours.score(Xte, yte) >= ref.score(Xte, yte) - 0.02
    assert abs(ours.oob_score_ - ref.oob_score_) < 0.03


def test_seeded_forests_repeat_and_pickle():
    X, y = make_classification(1500, 8, random_state=2)
    a = RandomForestClassifier(n_estimators=10, random_state=7, class_weight="balanced_subsample").fit(X, y)
    b = RandomForestClassifier(n_estimators=10, random_state=7, class_weight="balanced_subsample").fit(X, y)
    assert np.array_equal(a.predict_proba(X), b.predict_proba(X))
    c = RandomForestClassifier(n_estimators=10, random_state=8).fit(X, y)
    assert not np.array_equal(a.predict_proba(X), c.predict_proba(X))
    back = pickle.loads(pickle.dumps(a))
    assert np.array_equal(back.predict_proba(X), a.predict_proba(X))


def test_plugs_into_sklearn_pipelines_and_search():
    X, y = make_classification(1200, 6, random_state=3)
    search = GridSearchCV(
        make_pipeline(StandardScaler(), RandomForestClassifier(n_estimators=5, random_state=0)),
        {"randomforestclassifier__max_depth": [2, 6]},
        cv=3,
    ).fit(X, y)
    assert search.best_params_["randomforestclassifier__max_depth"] in (2, 6)
    assert search.score(X, y) > 0.8


@pytest.mark.parametrize(
    "params, needle",
    [
        ({"n_estimators": 0}, "n_estimators"),
        ({"bootstrap": False, "oob_score": True}, "bootstrap"),
        ({"max_samples": 1.5}, "max_samples"),
        ({"class_weight": "heavy"}, "class_weight"),
    ],
)
def test_bad_forest_parameters(params, needle):
    X, y = make_classification(100, 4, random_state=4)
    with pytest.raises(ValueError, match=needle):
        RandomForestClassifier(**params).fit(X, y)
