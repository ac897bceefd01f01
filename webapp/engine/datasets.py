"""Built-in datasets to train on: the logic tables, TensorFlow Playground's four 2-D sets, a sine.

One table, DATASETS, maps an id to its entry (title, kind, sizes, description, the parameters it
takes, generator); generate() turns an entry and its parameters into samples
[{"inputs": [...], "targets": [...]}, ...]. The limits of the parameters are the constants below;
the API, its document and the command line read them from here.

The 2-D sets follow Playground's src/dataset.ts (classifyCircleData, classifyTwoGaussData,
classifyXORData, classifySpiralData), adapted to a network with sigmoid outputs:
  - labels +1 / -1 become targets 1 / 0 (one-hot: 0 -> [1, 0], 1 -> [0, 1]);
  - coordinates are divided by 6: Playground draws its points in the square [-6, 6]², so ours lie
    in [-1, 1]² (a few two-Gaussians points may fall just outside at high noise);
  - our noise 0..1 is Playground's slider 0..50 %, i.e. its `noise` argument 0..0.5;
  - n samples exactly: the positive class gets ceil(n/2), the negative floor(n/2);
  - the samples are shuffled with the same seeded generator, as Playground shuffles before
    training, so that a pass over them in order does not see one class and then the other.
Every draw is made whatever the noise, so one seed gives the same underlying points at every
noise level: raising the noise disturbs one dataset rather than drawing another.

Numbers are rounded to SIGNIFICANT_DIGITS significant digits: the JSON stays short, and the same
parameters give the same bytes.
"""
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

MAX_SAMPLES = 500
DEFAULT_SAMPLES = 100
NOISE_RANGE = (0.0, 1.0)
DEFAULT_NOISE = 0.0
DEFAULT_SEED = 0
SIGNIFICANT_DIGITS = 6
# Playground's points span [-6, 6]; ours [-1, 1].
PLAYGROUND_EXTENT = 6.0
# Our noise 1 is Playground's 50 %, the top of its slider.
PLAYGROUND_MAX_NOISE = 0.5
KINDS = ("logic", "classification", "regression")

# (rng, n, noise) -> (inputs, targets): inputs (n, inputs), targets (n,) of 0/1 or numbers.
Generator = Callable[[np.random.Generator, int, float], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Dataset:
    title: str
    kind: str  # one of KINDS
    inputs: int
    outputs: int  # without one-hot; a class set has 2 with it
    description: str
    parameters: tuple[str, ...]  # those it uses; the others are checked and ignored
    generator: Generator


# ---- the logic tables ----------------------------------------------------------------------

TRUTH_TABLE_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])


def truth_table(outputs: tuple[int, int, int, int]) -> Generator:
    """The four corners of the unit square, in order, with their outputs: no randomness, so no n, seed or noise."""
    return lambda rng, n, noise: (TRUTH_TABLE_INPUTS, np.array(outputs))


# ---- TensorFlow Playground's 2-D sets, in its units and labels (True is its +1) ----------------

def class_sizes(n: int) -> tuple[int, int]:
    return (n + 1) // 2, n // 2


def first_class(n: int) -> np.ndarray:
    """Labels for points generated positive class first: True for the first ceil(n/2)."""
    return np.arange(n) < class_sizes(n)[0]


def circle(rng, n, noise):
    """Half the points within radius 2.5, half in the ring 3.5 to 5; a point is positive when it lies
    within 2.5 after a nudge of up to ±5·noise in x and y, so noise flips labels near the edge."""
    inside, outside = class_sizes(n)
    radius = np.concatenate([rng.uniform(0, 2.5, inside), rng.uniform(3.5, 5, outside)])
    angle = rng.uniform(0, 2 * np.pi, n)
    points = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    nudged = points + rng.uniform(-5, 5, (n, 2)) * noise
    return points, np.hypot(nudged[:, 0], nudged[:, 1]) < 2.5


def two_gaussians(rng, n, noise):
    """Positive points around (2, 2), negative around (-2, -2); the variance grows with the noise
    from 0.5 to 4 (Playground's d3 scale from [0, 0.5] to [0.5, 4])."""
    variance = 0.5 + (4 - 0.5) * noise / PLAYGROUND_MAX_NOISE
    centres = np.repeat([[2.0, 2.0], [-2.0, -2.0]], class_sizes(n), axis=0)
    return centres + rng.standard_normal((n, 2)) * np.sqrt(variance), first_class(n)


def xor_quadrants(rng, n, noise):
    """Points in [-5, 5]² pushed 0.3 away from the axes; positive where x·y >= 0 after a nudge of up
    to ±5·noise in x and y."""
    points = rng.uniform(-5, 5, (n, 2))
    points += np.where(points > 0, 0.3, -0.3)
    nudged = points + rng.uniform(-5, 5, (n, 2)) * noise
    return points, nudged[:, 0] * nudged[:, 1] >= 0


def spiral(rng, n, noise):
    """Two arms of 1.75 turns out to radius 5, the negative one turned by π; point i of an arm is at
    radius 5·i/(n/2), moved by up to ±noise in x and y."""
    half = n / 2
    positive, negative = class_sizes(n)
    i = np.concatenate([np.arange(positive), np.arange(negative)])
    turn = np.concatenate([np.zeros(positive), np.full(negative, np.pi)])
    radius = i / half * 5
    angle = 1.75 * i / half * 2 * np.pi + turn
    points = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    return points + rng.uniform(-1, 1, (n, 2)) * noise, first_class(n)


def playground(generator) -> Generator:
    """One of Playground's generators as ours: our noise scaled to its range, its coordinates to
    [-1, 1], its labels to 1/0, and the samples shuffled."""
    def generate_scaled(rng, n, noise):
        points, positive = generator(rng, n, noise * PLAYGROUND_MAX_NOISE)
        order = rng.permutation(n)
        return points[order] / PLAYGROUND_EXTENT, positive[order].astype(int)
    return generate_scaled


# ---- regression ----------------------------------------------------------------------------

def sine(rng, n, noise):
    """x uniform in [-1, 1]; target sin(πx) plus Gaussian noise of standard deviation `noise`."""
    x = rng.uniform(-1, 1, n)
    return x[:, None], np.sin(np.pi * x) + rng.standard_normal(n) * noise


# ---- the table -----------------------------------------------------------------------------

LOGIC = ("one_hot",)
CLASSES = ("n", "seed", "noise", "one_hot")
REGRESSION = ("n", "seed", "noise")

DATASETS: dict[str, Dataset] = {
    "xor": Dataset("XOR", "logic", 2, 1, "Exclusive or of two bits: 1 when exactly one input is 1. "
                   "No single line separates the classes, so it needs a hidden layer.", LOGIC,
                   truth_table((0, 1, 1, 0))),
    "and": Dataset("AND", "logic", 2, 1, "1 when both inputs are 1: linearly separable, one neuron learns it.",
                   LOGIC, truth_table((0, 0, 0, 1))),
    "or": Dataset("OR", "logic", 2, 1, "1 when either input is 1: linearly separable, one neuron learns it.",
                  LOGIC, truth_table((0, 1, 1, 1))),
    "circle": Dataset("Circle", "classification", 2, 1, "Points inside a circle (1) and in a ring around "
                      "it (0), TensorFlow Playground's; noise flips labels near the edge.", CLASSES,
                      playground(circle)),
    "gauss": Dataset("Two Gaussians", "classification", 2, 1, "Two clouds, around (1/3, 1/3) (1) and "
                     "(-1/3, -1/3) (0), TensorFlow Playground's; noise widens them until they overlap.",
                     CLASSES, playground(two_gaussians)),
    "xor2d": Dataset("Exclusive or (2-D)", "classification", 2, 1, "Points in the four quadrants: 1 where x "
                     "and y have the same sign, TensorFlow Playground's; noise flips labels near the axes.",
                     CLASSES, playground(xor_quadrants)),
    "spiral": Dataset("Spiral", "classification", 2, 1, "Two interleaved spiral arms, TensorFlow "
                      "Playground's hardest set; noise scatters the points.", CLASSES, playground(spiral)),
    "sine": Dataset("Sine", "regression", 1, 1, "x uniform in [-1, 1], target sin(πx) plus Gaussian noise "
                    "of standard deviation `noise`. Targets go below 0: use a linear (or tanh) output.",
                    REGRESSION, sine),
}


# ---- samples -------------------------------------------------------------------------------

def rounded(values: list) -> list:
    """Floats to SIGNIFICANT_DIGITS significant digits (-0.0 as 0.0); the logic tables' and the
    classes' integers stay integers (JSON 0 and 1)."""
    return [v if isinstance(v, int) else float(f"{v:.{SIGNIFICANT_DIGITS}g}") + 0.0 for v in values]


def generate(dataset_id: str, n: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED, noise: float = DEFAULT_NOISE,
             one_hot: bool = False) -> list[dict]:
    """The samples of a dataset. The arguments are trusted (webapp/dataset_contract.py checks a request's);
    a set ignores the ones it does not take. The same arguments give the same samples."""
    dataset = DATASETS[dataset_id]
    inputs, targets = dataset.generator(np.random.default_rng(seed), n, noise)
    if one_hot and "one_hot" in dataset.parameters:
        targets = np.column_stack([1 - targets, targets])
    else:
        targets = targets[:, None]
    return [{"inputs": rounded(x), "targets": rounded(t)} for x, t in zip(inputs.tolist(), targets.tolist())]
