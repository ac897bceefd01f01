"""`backprop-explainer serve | trace`: run the app, or print a walkthrough in the terminal."""
import argparse
import json
import sys

from .engine import build_trace
from .engine.notation import latex_to_text
from .engine.templates import fill, fmt, graph_lookup
from .presets import WORKED_EXAMPLE
from .spec import SpecError, parse_body

PHASE_TITLES = {"forward": "Forward pass", "loss": "Loss", "backward": "Backward pass",
                "accumulate": "Batch gradient (accumulated over the samples)",
                "check": "Gradient check (finite differences)", "update": "Weight update"}


def render_text(trace: dict) -> str:
    """The walkthrough as readable terminal text: one numbered block per step, by phase."""
    lookup = graph_lookup(trace["graph"])
    lines, phase = [], None
    total = len(trace["steps"])
    for k, step in enumerate(trace["steps"], start=1):
        if step["phase"] != phase:
            phase = step["phase"]
            lines += ["", f"== {PHASE_TITLES[phase]} ==", ""]
        formula, narration = fill(trace["templates"], step, lookup)
        sample = f"(sample {step['sample'] + 1}) " if "sample" in step else ""
        lines.append(f"[{k}/{total}] {sample}{latex_to_text(narration)}")
        # A table or an aligned block has one row per line.
        rows = (row.strip() for row in latex_to_text(formula).split("\n"))
        lines.append("      " + "\n      ".join(row for row in rows if row))
    lines += ["", f"Total loss {fmt(trace['loss']['total'])}; {total} steps."]
    return "\n".join(lines).lstrip("\n") + "\n"


def _serve(args) -> int:
    from waitress import serve

    from . import create_app

    app = create_app()
    print(f"Serving the backprop explainer on http://{args.host}:{args.port}/ (Ctrl-C stops it)", flush=True)
    try:
        serve(app, host=args.host, port=args.port, threads=args.threads, ident="backprop-explainer")
    except KeyboardInterrupt:
        pass
    return 0


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
    if args.json:
        sys.stdout.write(json.dumps(trace, separators=(",", ":"), allow_nan=False))
    else:
        sys.stdout.write(render_text(trace))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="backprop-explainer", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the web app (production server, waitress)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--threads", type=int, default=8)
    trace = sub.add_parser("trace", help="print the walkthrough of the worked example or of --spec FILE")
    trace.add_argument("--spec", metavar="FILE.json", help="a request body as accepted by POST /api/trace")
    trace.add_argument("--json", action="store_true", help="print exactly the API's JSON")
    args = parser.parse_args(argv)
    return _serve(args) if args.command == "serve" else _trace(args)


if __name__ == "__main__":
    raise SystemExit(main())
