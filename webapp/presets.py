"""Named networks as full request bodies; the worked example comes first and is the default."""

WORKED_EXAMPLE = {
    "layers": [1, 1, 2],
    "weights": [[[0.5]], [[0.2], [0.1]]],
    "biases": None,
    "activations": [{"name": "linear", "slope": 2.0}, {"name": "linear", "slope": 2.0}],
    "loss": "sse",
    "inputs": [3.0],
    "targets": [2.0, 1.0],
    "epsilon": 1e-6,
    "learning_rate": 0.1,
}

PRESETS = [
    {
        "id": "worked-example",
        "title": "Worked example (1-1-2, f(x) = 2x)",
        "description": "The reference document's network: every figure in it appears at its step.",
        "spec": WORKED_EXAMPLE,
    },
    {
        "id": "sigmoid-2-2-2",
        "title": "Classic 2-2-2 sigmoid with biases",
        "description": "Two inputs, two hidden and two output sigmoid neurons with biases, "
        "half squared error: the shape of the well-known step-by-step example.",
        "spec": {
            "layers": [2, 2, 2],
            "weights": [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
            "biases": [[0.35, 0.35], [0.60, 0.60]],
            "activations": [{"name": "sigmoid"}, {"name": "sigmoid"}],
            "loss": "half_sse",
            "inputs": [0.05, 0.10],
            "targets": [0.01, 0.99],
            "epsilon": 1e-6,
            "learning_rate": 0.5,
        },
    },
    {
        "id": "tanh-2-2-1",
        "title": "2-2-1 tanh",
        "description": "A small tanh network with biases and one output.",
        "spec": {
            "layers": [2, 2, 1],
            "weights": [[[0.5, -0.4], [0.3, 0.8]], [[0.7, -0.6]]],
            "biases": [[0.1, -0.1], [0.05]],
            "activations": [{"name": "tanh"}, {"name": "tanh"}],
            "loss": "mse",
            "inputs": [1.0, 0.5],
            "targets": [0.5],
            "epsilon": 1e-6,
            "learning_rate": 0.1,
        },
    },
    {
        "id": "relu-3-4-2",
        "title": "3-4-2 ReLU into sigmoid, cross-entropy",
        "description": "ReLU hidden layer, sigmoid outputs and binary cross-entropy.",
        "spec": {
            "layers": [3, 4, 2],
            "weights": [
                [[0.2, -0.1, 0.4], [0.5, 0.3, -0.2], [-0.3, 0.8, 0.1], [0.6, -0.5, 0.2]],
                [[0.3, -0.2, 0.5, 0.1], [-0.4, 0.6, 0.2, -0.3]],
            ],
            "biases": [[0.1, 0.0, -0.1, 0.05], [0.0, 0.1]],
            "activations": [{"name": "relu"}, {"name": "sigmoid"}],
            "loss": "bce",
            "inputs": [1.0, 0.5, -0.5],
            "targets": [1.0, 0.0],
            "epsilon": 1e-6,
            "learning_rate": 0.1,
        },
    },
]

PRESETS += [
    {
        "id": "xor-batch",
        "title": "XOR mini-batch (2-2-1, four samples)",
        "description": "All four XOR points in one batch: each sample's forward and backward pass, then "
        "the batch gradient as the mean of the four samples' gradients.",
        "spec": {
            "layers": [2, 2, 1],
            "weights": [[[0.5, -0.4], [0.3, 0.8]], [[0.7, -0.6]]],
            "biases": [[0.1, -0.1], [0.05]],
            "activations": [{"name": "sigmoid"}, {"name": "sigmoid"}],
            "loss": "sse",
            "samples": [
                {"inputs": [0.0, 0.0], "targets": [0.0]},
                {"inputs": [0.0, 1.0], "targets": [1.0]},
                {"inputs": [1.0, 0.0], "targets": [1.0]},
                {"inputs": [1.0, 1.0], "targets": [0.0]},
            ],
            "reduction": "mean",
            "epsilon": 1e-6,
            "learning_rate": 0.5,
        },
    },
    {
        "id": "softmax-2-3-3",
        "title": "2-3-3 softmax classifier, cross-entropy",
        "description": "A tanh hidden layer and three softmax outputs with categorical cross-entropy: the "
        "softmax Jacobian written out, then the shortcut delta = o - t.",
        "spec": {
            "layers": [2, 3, 3],
            "weights": [[[0.4, -0.3], [0.2, 0.6], [-0.5, 0.1]], [[0.3, -0.4, 0.2], [0.5, 0.1, -0.3], [-0.2, 0.4, 0.6]]],
            "biases": [[0.1, 0.0, -0.1], [0.0, 0.1, -0.1]],
            "activations": [{"name": "tanh"}, {"name": "softmax"}],
            "loss": "cce",
            "inputs": [1.0, -0.5],
            "targets": [0.0, 1.0, 0.0],
            "epsilon": 1e-6,
            "learning_rate": 0.1,
        },
    },
]

DEFAULT_PRESET = PRESETS[0]["id"]
