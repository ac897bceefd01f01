"""Bad mini-batch and softmax requests (issue 9): each a 400 naming the field, never a 500."""
import pytest

XOR = [{"inputs": [0, 0], "targets": [0]}, {"inputs": [0, 1], "targets": [1]}]
BATCH = {"layers": [2, 2, 1], "weights": None, "seed": 1, "samples": XOR}
SOFTMAX = {"layers": [2, 3], "weights": None, "seed": 2, "activation": "softmax", "loss": "cce",
           "inputs": [0.5, -0.5], "targets": [0, 1, 0]}

CASES = [
    # (why, body, field)
    ("no samples", {**BATCH, "samples": []}, "samples"),
    ("more than 32 samples", {**BATCH, "samples": XOR * 17}, "samples"),
    ("a sample's inputs of the wrong length", {**BATCH, "samples": [XOR[0], {"inputs": [1], "targets": [0]}]},
     "samples[1].inputs"),
    ("a sample's targets of the wrong length", {**BATCH, "samples": [{"inputs": [1, 0], "targets": [0, 1]}]},
     "samples[0].targets"),
    ("a sample without targets", {**BATCH, "samples": [{"inputs": [1, 0]}]}, "samples[0].targets"),
    ("a sample with an unknown key", {**BATCH, "samples": [{**XOR[0], "weight": 1}]}, "samples[0].weight"),
    ("samples and inputs both", {**BATCH, "inputs": [0, 0], "targets": [0]}, "samples"),
    ("neither samples nor inputs", {k: v for k, v in BATCH.items() if k != "samples"}, "inputs"),
    ("an unknown reduction", {**BATCH, "reduction": "max"}, "reduction"),
    ("cce without a softmax output", {**SOFTMAX, "activation": "sigmoid"}, "loss"),
    ("targets that do not sum to 1", {**SOFTMAX, "targets": [0.5, 0.6, 0]}, "targets"),
    ("a negative target", {**SOFTMAX, "targets": [-0.5, 1.5, 0]}, "targets[0]"),
    ("a batch's targets that are not a distribution",
     {**{k: v for k, v in SOFTMAX.items() if k not in ("inputs", "targets")},
      "samples": [{"inputs": [1, 0], "targets": [0, 1, 0]}, {"inputs": [0, 1], "targets": [0, 0, 0]}]},
     "samples[1].targets"),
    ("softmax on a hidden layer", {**SOFTMAX, "layers": [2, 3, 3], "activation": None,
                                   "activations": ["softmax", "softmax"]}, "activations[0]"),
    ("softmax on a one-neuron output", {**SOFTMAX, "layers": [2, 1], "loss": "sse", "targets": [1]}, "activation"),
]


@pytest.mark.parametrize("body, field", [(b, f) for _, b, f in CASES], ids=[why for why, _, _ in CASES])
def test_bad_batch_or_softmax_request_is_a_400_naming_the_field(client, body, field):
    body = {k: v for k, v in body.items() if v is not None}
    response = client.post("/api/trace", json=body)
    assert response.status_code == 400, response.get_data(as_text=True)
    error = response.get_json()
    assert error["field"] == field, error
    assert error["error"]


def test_a_good_batch_and_a_good_softmax_request_are_answered(client):
    assert client.post("/api/trace", json=BATCH).status_code == 200
    assert client.post("/api/trace", json=SOFTMAX).status_code == 200
