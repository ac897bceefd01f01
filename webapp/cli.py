"""`backprop-explainer serve | trace | datasets`: run the app, print a walkthrough in the terminal, or
list the built-in datasets and print one's samples."""
import argparse
import json
import sys

from .cli_train import add_train_parser
from .cli_train import run as run_train
from .dataset_contract import PARAMETERS, allowed, listing, parse_query
from .engine import build_trace, encode
from .engine.datasets import generate
from .engine.expand import expand_trace
from .engine.notation import latex_to_text
from .engine.templates import fill, fmt, graph_lookup
from .presets import WORKED_EXAMPLE
from .solution import FORMATS, render_solution
from .spec import SpecError, parse_body

PHASE_TITLES = {"forward": "Forward pass", "loss": "Loss", "backward": "Backward pass",
                "accumulate": "Batch gradient (accumulated over the samples)",
                "check": "Gradient check (finite differences)", "update": "Weight update"}


def render_text(trace: dict) -> str:
    """The walkthrough as readable terminal text: one numbered block per step, by phase."""
    trace = expand_trace(trace)
    lookup = graph_lookup(trace["graph"])
    lines, phase = [], None
    total = len(trace["steps"])
    for k, step in enumerate(trace["steps"], start=1):
        if step["phase"] != phase:
            phase = step["phase"]
            lines += ["", f"== {PHASE_TITLES[phase]} ==", ""]
        formula, narration = fill(step, lookup)
        sample = f"(sample {step['sample'] + 1}) " if "sample" in step else ""
        lines.append(f"[{k}/{total}] {sample}{latex_to_text(narration)}")
        # A table or an aligned block has one row per line.
        rows = (row.strip() for row in latex_to_text(formula).split("\n"))
        lines.append("      " + "\n      ".join(row for row in rows if row))
    lines += ["", f"Total loss {fmt(trace['loss']['total'])}; {total} steps."]
    return "\n".join(lines).lstrip("\n") + "\n"


def serve_config(args) -> dict:
    """What `serve`'s options tell the app: where live sessions are kept, and how many event streams this
    process holds (the thread pool is sized for them, webapp/server.py)."""
    config = {"LIVE_STREAM_SLOTS": args.stream_slots}
    if args.broker:
        config["LIVE_BROKER"] = args.broker
    elif args.workers > 1:
        # Sessions kept in one worker's memory would be unknown to the others: the live API says so (503).
        config["LIVE_REQUIRES_BROKER"] = True
    return config


def _serve(args) -> int:
    from . import create_app
    from .server import waitress_options

    if args.broker:
        from .live.broker import unreachable

        problem = unreachable(args.broker)
        if problem:
            print(f"error: --broker: {problem}", file=sys.stderr)
            return 2
    app_config = serve_config(args)
    if args.workers > 1:
        from .server import WINDOWS_MESSAGE, serve_processes

        if sys.platform == "win32":
            print(f"error: {WINDOWS_MESSAGE}", file=sys.stderr)
            return 2
        print(f"Serving the backprop explainer on http://{args.host}:{args.port}/ with {args.workers} processes "
              "(Ctrl-C stops them all)", flush=True)
        serve_processes(create_app(app_config), args.host, args.port, args.workers, args.threads, args.stream_slots)
        return 0
    from waitress import serve

    app = create_app(app_config)
    print(f"Serving the backprop explainer on http://{args.host}:{args.port}/ (Ctrl-C stops it)", flush=True)
    try:
        serve(app, **waitress_options(args.host, args.port, args.threads, args.stream_slots))
    except KeyboardInterrupt:
        pass
    return 0


def positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {number}")
    return number


def broker_url(text: str) -> str:
    from .live.broker import parse_broker_url

    try:
        return parse_broker_url(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_serve_parser(sub) -> None:
    from .live.limits import LiveLimits

    serve = sub.add_parser("serve", help="run the web app (production server: waitress, or gunicorn with --workers)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--threads", type=positive, default=8,
                       help="threads per process for pages, traces and API calls (default 8)")
    serve.add_argument("--workers", type=positive, default=1,
                       help="processes (default 1: waitress; more: gunicorn, POSIX only; live sessions then need "
                       "--broker)")
    slots = LiveLimits().stream_slots
    serve.add_argument("--stream-slots", type=positive, default=slots, metavar="N",
                       help=f"live event streams (followers) each process holds open, each on a thread of its own "
                       f"beside --threads (default {slots})")
    serve.add_argument("--broker", type=broker_url, metavar="redis://HOST:PORT/DB",
                       help="keep live sessions in this Redis, so several processes or machines serve one session "
                       "(default: in this process)")


def _trace(args) -> int:
    if args.spec:
        try:
            with open(args.spec, "rb") as fh:
                raw = fh.read()
        except OSError as exc:
            print(f"error: cannot read {args.spec}: {exc.strerror}", file=sys.stderr)
            return 2
    else:
        raw = json.dumps(WORKED_EXAMPLE).encode()
    try:
        trace = build_trace(*parse_body(raw))
    except SpecError as exc:
        print(f"error: {exc.field}: {exc.message}", file=sys.stderr)
        return 2
    format_ = "json" if args.json else args.format
    if format_ == "json":
        sys.stdout.write(encode(trace).decode())
    elif format_ in FORMATS:
        sys.stdout.write(render_solution(trace, format_))
    else:
        sys.stdout.write(render_text(trace))
    return 0


# The datasets command's options that take a value; --one-hot is a flag.
VALUE_OPTIONS = ("n", "seed", "noise")


def datasets_text() -> str:
    """The datasets as a table: id, title, inputs → outputs, kind."""
    rows = [("id", "title", "inputs → outputs", "kind")]
    for entry in listing():
        sizes = f"{entry['inputs']} → {entry['outputs']}"
        if "one_hot" in entry["parameters"]:
            sizes += " (one-hot: 2)"
        rows.append((entry["id"], entry["title"], sizes, entry["kind"]))
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    lines = ["  ".join([*(cell.ljust(width) for cell, width in zip(row, widths)), row[3]]) for row in rows]
    lines += ["", "Samples as JSON: backprop-explainer datasets ID [--n N] [--seed S] [--noise X] [--one-hot]"]
    return "\n".join(lines) + "\n"


def _datasets(args) -> int:
    if args.id is None:
        sys.stdout.write(datasets_text())
        return 0
    # The options as the API's query strings, so they are read and checked, and errors worded, alike.
    given = [(name, getattr(args, name)) for name in VALUE_OPTIONS if getattr(args, name) is not None]
    given += [("one_hot", "true")] if args.one_hot else []
    try:
        values = parse_query(args.id, given)
    except SpecError as exc:
        print(f"error: {exc.field}: {exc.message}", file=sys.stderr)
        return 2
    sys.stdout.write(json.dumps(generate(args.id, **values), separators=(",", ":")) + "\n")
    return 0


def add_datasets_parser(sub) -> None:
    """The datasets command; its options' help is the API's parameter table."""
    datasets = sub.add_parser("datasets", help="list the built-in datasets, or print one's samples as JSON")
    datasets.add_argument("id", nargs="?", help="a dataset's id: print its samples (a list of {inputs, targets})")
    for name in VALUE_OPTIONS:
        schema = PARAMETERS[name]
        # argparse %-formats help: "50 %" must be "50 %%".
        text = f"{schema['description']} ({allowed(schema)}, default {schema['default']})".replace("%", "%%")
        datasets.add_argument(f"--{name}", help=text)
    datasets.add_argument("--one-hot", action="store_true", help=PARAMETERS["one_hot"]["description"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="backprop-explainer", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    add_serve_parser(sub)
    trace = sub.add_parser("trace", help="print the walkthrough of the worked example or of --spec FILE")
    trace.add_argument("--spec", metavar="FILE.json", help="a request body as accepted by POST /api/trace")
    trace.add_argument("--format", choices=("text", "json", *FORMATS), default="text",
                       help="text: the walkthrough step by step; json: exactly the API's JSON; markdown or latex: "
                       "the worked solution as a document")
    trace.add_argument("--json", action="store_true", help="the same as --format json")
    add_datasets_parser(sub)
    add_train_parser(sub)
    args = parser.parse_args(argv)
    return {"serve": _serve, "trace": _trace, "datasets": _datasets, "train": run_train}[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
