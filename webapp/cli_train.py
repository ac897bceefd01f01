"""`backprop-explainer train`: train a network on a dataset and print its loss table (or the API's JSON)."""
import json
import sys

from .engine.templates import fmt
from .spec import SpecError
from .train_api import run_training
from .train_contract import NOT_NETWORK

ROWS = 20  # the loss table's rows, evenly spread over the recorded iterations


def add_train_parser(sub) -> None:
    train = sub.add_parser("train", help="train a network on a dataset and print the loss table")
    train.add_argument("--spec", metavar="FILE.json", required=True,
                       help="the network, as a POST /api/trace body (its inputs and targets are not used)")
    train.add_argument("--dataset", required=True, help="a built-in dataset's id (backprop-explainer datasets)")
    train.add_argument("--n", type=int, help="the dataset's size")
    train.add_argument("--iterations", type=int, default=100)
    train.add_argument("--batch-size", type=int, default=1)
    train.add_argument("--optimizer", default="sgd", help="sgd, momentum or adam")
    train.add_argument("--learning-rate", type=float)
    train.add_argument("--shuffle", action="store_true")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--json", action="store_true", help="print exactly the API's JSON")


def train_body(args, network: dict) -> dict:
    """The POST /api/train body the options describe."""
    optimizer = {"name": args.optimizer}
    if args.learning_rate is not None:
        optimizer["learning_rate"] = args.learning_rate
    dataset = {"name": args.dataset} | ({"n": args.n} if args.n is not None else {})
    return {"network": {k: v for k, v in network.items() if k not in NOT_NETWORK}, "dataset": dataset,
            "optimizer": optimizer, "batch_size": args.batch_size, "iterations": args.iterations,
            "shuffle": args.shuffle, "seed": args.seed}


def loss_table(result: dict) -> str:
    history = result["history"]
    at = history["at"]
    picks = sorted({at[round(i * (len(at) - 1) / (ROWS - 1))] for i in range(ROWS)}) if len(at) > ROWS else at
    accuracy = dict(zip(at, history["accuracy"])) if history["accuracy"] else {}
    full = dict(zip(at, history["full_loss"]))
    lines = [f"{'iteration':>9}  {'batch loss':>14}  {'whole-set loss':>14}" + ("  accuracy" if accuracy else "")]
    for k in picks:
        row = f"{k:>9}  {fmt(history['loss'][k]):>14}  {fmt(full[k]):>14}"
        lines.append(row + (f"  {accuracy[k]:>8.0%}" if accuracy else ""))
    if result["diverged_at"] is not None:
        lines.append(f"The loss stopped being finite at iteration {result['diverged_at']}: training stopped there.")
    return "\n".join(lines) + "\n"


def run(args) -> int:
    try:
        with open(args.spec, "rb") as fh:
            network = json.loads(fh.read().decode("utf-8"))
    except (OSError, ValueError) as exc:
        print(f"error: cannot read {args.spec}: {exc}", file=sys.stderr)
        return 2
    if not isinstance(network, dict):
        print(f"error: {args.spec} must hold a JSON object (a network)", file=sys.stderr)
        return 2
    try:
        result = run_training(train_body(args, network))
    except SpecError as exc:
        print(f"error: {exc.field}: {exc.message}", file=sys.stderr)
        return 2
    sys.stdout.write(json.dumps(result, separators=(",", ":"), allow_nan=False) if args.json else loss_table(result))
    return 0
