"""The built-in datasets: shapes, the logic tables, the geometry that defines each 2-D set, the sine,
and the same samples for the same parameters. Expected values are worked out by hand from the
definitions (TensorFlow Playground's src/dataset.ts, scaled by 1/6), not read from the code."""
import json
import math

import numpy as np
import pytest

from webapp.engine.datasets import DATASETS, generate

CORNERS = [[0, 0], [0, 1], [1, 0], [1, 1]]
TRUTH_TABLES = {"xor": [0, 1, 1, 0], "and": [0, 0, 0, 1], "or": [0, 1, 1, 1]}
# id -> (inputs, outputs without one-hot, kind), typed from the issue.
SHAPES = {"xor": (2, 1, "logic"), "and": (2, 1, "logic"), "or": (2, 1, "logic"),
          "circle": (2, 1, "classification"), "gauss": (2, 1, "classification"),
          "xor2d": (2, 1, "classification"), "spiral": (2, 1, "classification"), "sine": (1, 1, "regression")}
CLASS_SETS = ["circle", "gauss", "xor2d", "spiral"]
RANDOM_SETS = CLASS_SETS + ["sine"]


def arrays(samples):
    """(inputs, targets) as arrays of shape (n, inputs) and (n, outputs)."""
    return np.array([s["inputs"] for s in samples]), np.array([s["targets"] for s in samples])


def labelled(dataset_id, **params):
    """(points (n, 2), labels (n,)) of a 2-D set with one output."""
    points, targets = arrays(generate(dataset_id, **params))
    return points, targets[:, 0]


def test_the_table_is_the_issues_list():
    assert {i: (d.inputs, d.outputs, d.kind) for i, d in DATASETS.items()} == SHAPES


# ---- logic tables ----

@pytest.mark.parametrize("dataset_id, outputs", TRUTH_TABLES.items())
def test_logic_tables(dataset_id, outputs):
    samples = generate(dataset_id)
    assert [s["inputs"] for s in samples] == CORNERS
    assert [s["targets"] for s in samples] == [[t] for t in outputs]
    # One-hot: class 0 is [1, 0], class 1 is [0, 1].
    one_hot = generate(dataset_id, one_hot=True)
    assert [s["targets"] for s in one_hot] == [[1, 0] if t == 0 else [0, 1] for t in outputs]


def test_logic_values_are_json_integers():
    assert json.dumps(generate("xor")) == ('[{"inputs": [0, 0], "targets": [0]}, {"inputs": [0, 1], "targets": [1]}, '
                                           '{"inputs": [1, 0], "targets": [1]}, {"inputs": [1, 1], "targets": [0]}]')


@pytest.mark.parametrize("dataset_id", TRUTH_TABLES)
def test_logic_tables_ignore_n_seed_and_noise(dataset_id):
    assert generate(dataset_id, n=50, seed=9, noise=0.7) == generate(dataset_id)


# ---- shapes, values and determinism of every set ----

@pytest.mark.parametrize("dataset_id", RANDOM_SETS)
@pytest.mark.parametrize("n", [1, 2, 7, 500])
def test_n_samples_of_the_documented_sizes(dataset_id, n):
    inputs, outputs, _ = SHAPES[dataset_id]
    samples = generate(dataset_id, n=n, seed=3, noise=0.4)
    assert len(samples) == n
    assert all(len(s["inputs"]) == inputs and len(s["targets"]) == outputs for s in samples)


@pytest.mark.parametrize("dataset_id", CLASS_SETS + list(TRUTH_TABLES))
@pytest.mark.parametrize("one_hot", [False, True])
def test_class_targets_are_0_or_1_or_one_hot(dataset_id, one_hot):
    _, targets = arrays(generate(dataset_id, n=101, seed=5, noise=0.3, one_hot=one_hot))
    assert set(targets.ravel().tolist()) <= {0, 1}
    if one_hot:
        assert targets.shape[1] == 2 and (targets.sum(axis=1) == 1).all()


@pytest.mark.parametrize("dataset_id", ["circle", "gauss", "spiral"])
@pytest.mark.parametrize("n, ones", [(1, 1), (7, 4), (100, 50), (500, 250)])
def test_half_the_samples_are_positive(dataset_id, n, ones):
    # Positive first: ceil(n/2) of class 1. (xor2d's classes come from the quadrants, not a count.)
    _, labels = labelled(dataset_id, n=n, seed=2)
    assert labels.sum() == ones


@pytest.mark.parametrize("dataset_id", CLASS_SETS)
def test_one_hot_is_the_same_samples_with_two_columns(dataset_id):
    plain = generate(dataset_id, n=40, seed=8, noise=0.5)
    one_hot = generate(dataset_id, n=40, seed=8, noise=0.5, one_hot=True)
    assert [s["inputs"] for s in one_hot] == [s["inputs"] for s in plain]
    assert [s["targets"][1] for s in one_hot] == [s["targets"][0] for s in plain]


@pytest.mark.parametrize("dataset_id", list(DATASETS))
def test_same_parameters_same_bytes(dataset_id):
    params = {"n": 200, "seed": 12345, "noise": 0.35}
    assert json.dumps(generate(dataset_id, **params)) == json.dumps(generate(dataset_id, **params))


@pytest.mark.parametrize("dataset_id", RANDOM_SETS)
@pytest.mark.parametrize("noise", [0.0, 0.6])
def test_another_seed_other_samples(dataset_id, noise):
    assert generate(dataset_id, seed=1, noise=noise) != generate(dataset_id, seed=2, noise=noise)


@pytest.mark.parametrize("dataset_id", list(DATASETS))
def test_numbers_are_short_finite_and_never_minus_zero(dataset_id):
    for sample in generate(dataset_id, n=500, seed=4, noise=0.8, one_hot=True):
        for value in sample["inputs"] + sample["targets"]:
            assert math.isfinite(value)
            assert float(f"{value:.6g}") == value  # six significant digits at most
            assert math.copysign(1.0, value) == 1.0 or value != 0


@pytest.mark.parametrize("dataset_id", ["circle", "xor2d", "spiral"])
@pytest.mark.parametrize("noise", [0.0, 1.0])
def test_playground_square_scaled_to_minus_one_one(dataset_id, noise):
    # Playground's points lie within radius 5 (circle), |x| <= 5.3 (xor), 5 + 0.5·√2 (spiral at 50 %
    # noise): all inside its [-6, 6]², so ours inside [-1, 1]².
    points, _ = labelled(dataset_id, n=500, seed=6, noise=noise)
    assert np.abs(points).max() <= 1


# ---- the geometry of each 2-D set ----

def test_circle_inside_is_positive_and_the_ring_negative():
    points, labels = labelled("circle", n=500, seed=11)
    radius = np.hypot(points[:, 0], points[:, 1])
    # Playground: positives within radius 2.5 of 5, negatives in the ring 3.5 to 5; ours / 6.
    assert (radius[labels == 1] < 2.5 / 6 + 1e-6).all()
    assert (radius[labels == 0] > 3.5 / 6 - 1e-6).all() and (radius <= 5 / 6 + 1e-6).all()


def test_circle_noise_flips_labels_but_moves_no_point():
    still, clean = labelled("circle", n=500, seed=11)
    points, noisy = labelled("circle", n=500, seed=11, noise=1.0)
    assert (points == still).all()
    flipped = (noisy != clean).sum()
    assert 0 < flipped < 250


def test_gauss_clouds_sit_on_opposite_corners():
    points, labels = labelled("gauss", n=500, seed=13)
    # Centres (2, 2) and (-2, -2), variance 0.5: ours (±1/3, ±1/3), standard deviation √0.5 / 6.
    # 250 points a class: a mean's standard error is about 0.0075.
    assert np.allclose(points[labels == 1].mean(axis=0), [1 / 3, 1 / 3], atol=0.04)
    assert np.allclose(points[labels == 0].mean(axis=0), [-1 / 3, -1 / 3], atol=0.04)
    for label in (0, 1):
        centred = points[labels == label] - points[labels == label].mean(axis=0)
        assert centred.std() == pytest.approx(math.sqrt(0.5) / 6, rel=0.15)


def test_gauss_noise_widens_the_clouds():
    # Playground's variance runs from 0.5 to 4 as its noise goes to 50 % (our 1): standard deviation 2 / 6.
    points, labels = labelled("gauss", n=500, seed=13, noise=1.0)
    for label in (0, 1):
        centred = points[labels == label] - points[labels == label].mean(axis=0)
        assert centred.std() == pytest.approx(2 / 6, rel=0.15)


def test_xor2d_label_is_the_sign_rule():
    points, labels = labelled("xor2d", n=500, seed=17)
    x, y = points[:, 0], points[:, 1]
    assert (labels == (x * y >= 0)).all()
    # Pushed 0.3 off the axes, at most 5.3 out: / 6.
    assert (np.abs(points) >= 0.3 / 6 - 1e-6).all() and (np.abs(points) <= 5.3 / 6 + 1e-6).all()
    # All four quadrants are used.
    assert {(a, b) for a, b in np.sign(points).astype(int).tolist()} == {(1, 1), (1, -1), (-1, 1), (-1, -1)}


def test_xor2d_noise_flips_about_one_label_in_six():
    # At our noise 1 (Playground's 0.5) each coordinate is nudged by U(-2.5, 2.5) before the sign rule.
    # |x| is uniform on [0.3, 5.3], so x's sign flips with probability ∫ (2.5 - a) / 5 da / 5 over
    # a in [0.3, 2.5] = 2.2² / 2 / 25 = 0.0968; the label flips when exactly one sign does:
    # 2 · 0.0968 · 0.9032 = 0.175. 500 points: 87 ± 9.
    points, labels = labelled("xor2d", n=500, seed=17, noise=1.0)
    flipped = (labels != (points[:, 0] * points[:, 1] >= 0)).mean()
    assert 0.11 < flipped < 0.24


def test_spiral_has_two_arms_half_a_turn_apart():
    n = 200
    points, labels = labelled("spiral", n=n, seed=19)
    radius = np.hypot(points[:, 0], points[:, 1]) * 6  # in Playground's units
    # Point i of an arm (i < n/2) is at radius 5·i/(n/2): the radii are evenly spaced from 0.
    for label in (0, 1):
        assert np.allclose(np.sort(radius[labels == label]), 5 * np.arange(n // 2) / (n / 2), atol=1e-4)
    # ... and at angle 1.75 turns · radius / 5, measured from the y axis (x = r sin t, y = r cos t),
    # the negative arm half a turn (π) further round.
    away = radius > 0.01
    angle = np.arctan2(points[away, 0], points[away, 1])
    arm = 1.75 * 2 * np.pi * radius[away] / 5 + np.where(labels[away] == 1, 0, np.pi)
    off = np.angle(np.exp(1j * (angle - arm)))  # the difference wrapped into (-π, π]
    assert np.abs(off).max() < 1e-3


def test_spiral_noise_moves_each_point_a_little():
    # The same seed draws the same points at any noise; our 1 is Playground's 0.5: up to ±0.5 in x
    # and y, ±0.5/6 in ours.
    still, labels = labelled("spiral", n=300, seed=23)
    moved, noisy_labels = labelled("spiral", n=300, seed=23, noise=1.0)
    assert (labels == noisy_labels).all()
    shift = np.abs(moved - still)
    assert shift.max() <= 0.5 / 6 + 1e-5 and shift.mean() > 0.5 / 6 / 4


# ---- the sine ----

def test_sine_is_sin_pi_x_without_noise():
    x, t = arrays(generate("sine", n=500, seed=29))
    assert x.min() >= -1 and x.max() <= 1 and x.min() < -0.9 and x.max() > 0.9
    assert np.abs(t[:, 0] - np.sin(np.pi * x[:, 0])).max() < 1e-5


def test_sine_noise_is_gaussian_of_that_standard_deviation():
    x, t = arrays(generate("sine", n=500, seed=29, noise=0.2))
    residual = t[:, 0] - np.sin(np.pi * x[:, 0])
    assert abs(residual.mean()) < 0.04  # standard error 0.2 / √500 = 0.009
    assert residual.std() == pytest.approx(0.2, rel=0.15)


def test_sine_ignores_one_hot():
    assert generate("sine", n=20, one_hot=True) == generate("sine", n=20)
