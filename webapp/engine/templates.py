r"""Formula and narration templates, one per step kind, and the function that fills them.

The templates live in one table, static/js/templates.json, which the page loads once (a JSON
module, cached like any static file); a trace carries, per step, only its symbol, value, factors
and a few args. The front end fills them with the same rules as `fill` below
(static/js/formula.js); the README's schema section defines the placeholders:

  {s} the step's symbol      {v} its value            {fN}/{vN} factor N's symbol/value
  {F}/{V} all factors' symbols/values joined by the template's operator (a factor with
          parts shows its parts' values: 2 \cdot 0.8 \cdot (-1))
  {T}/{TV} the step's terms' symbols/values joined by " + "
  {TL} the terms listed as "symbol = value", separated by wide spaces
  {rows} the step's rows, each filled with the template's "row" (fields: "row_fields");
         in a row, {p} is the symbol of the row's element and {xs} that of the
         element's source node, both looked up in the trace's graph
  {name} any key of the step's args (a number is formatted, a string used as is)
  {tot}  the loss a gradient is of: args.tot, else the symbol of the graph's node E (e_{total},
         or a mini-batch's E)

Values in {vN}, {V} and {TV} are wrapped in parentheses when negative. Numbers are shown
with at most 9 significant digits, trailing zeros dropped (`fmt`). A step whose args
hold "c" (an edge that also carries an error signal back) gets the "back" template's
formula and narration appended, one with more than two factors (a full chain) its template's
"chain" sentence. Finally " = X = X" repeats are collapsed to " = X".
"""
import json
import math
import re

from ..paths import STATIC

SUM = " + "

# The one table (static/js/formula.js imports the same file): kind -> {phase, op, formula, narration,
# row?, row_fields?}.
TEMPLATES: dict[str, dict] = json.loads((STATIC / "js" / "templates.json").read_text(encoding="utf-8"))["templates"]
# The phase of each kind's steps (a step does not repeat it).
PHASES: dict[str, str] = {kind: t["phase"] for kind, t in TEMPLATES.items() if "phase" in t}


def fmt(x) -> str:
    """At most 9 significant digits, trailing zeros dropped (like C's %.9g)."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "non-finite"
    s = format(x, ".9g")
    return "0" if s == "-0" else s


def _num(x, paren) -> str:
    s = fmt(x)
    return f"({s})" if paren and s.startswith("-") else s


def _sub(template: str, fields: dict) -> str:
    # A LaTeX group such as {total} or {2} is left alone: only known names are replaced.
    return re.sub(r"\{(\w+)\}", lambda m: fields.get(m.group(1), m.group(0)), template)


def _collapse(formula: str) -> str:
    parts = formula.split(" = ")
    out = [parts[0]]
    for p in parts[1:]:
        if p != out[-1]:
            out.append(p)
    return " = ".join(out)


def graph_lookup(graph: dict) -> dict:
    """Element id -> its graph record (nodes, edges, biases), for filling rows."""
    return {el["id"]: el for part in ("nodes", "edges", "biases") for el in graph[part]}


def fill(step: dict, lookup: dict) -> tuple[str, str]:
    """(formula LaTeX, narration with LaTeX symbols) of one step; see the module doc."""
    templates = TEMPLATES
    t = templates[step["kind"]]
    op = t["op"]
    factors = step.get("factors", [])
    terms = step.get("terms", [])
    args = step.get("args", {})

    def value_of(f):
        if len(f) > 3:
            return op.join(_num(p[1], True) for p in f[3])
        return _num(f[1], True)

    fields = {
        "s": step["symbol"], "v": fmt(step["value"]),
        "F": op.join(f[0] for f in factors),
        "V": op.join(value_of(f) for f in factors),
        "T": SUM.join(f[0] for f in terms),
        "TV": SUM.join(_num(f[1], True) for f in terms),
        "TL": r" \qquad ".join(f"{f[0]} = {fmt(f[1])}" for f in terms),
        "tot": lookup.get("E", {}).get("symbol", ""),
    }
    for n, f in enumerate(factors):
        fields[f"f{n}"] = f[0]
        fields[f"v{n}"] = _num(f[1], True)
    for key, val in args.items():
        fields[key] = val if isinstance(val, str) else fmt(val)
    if "row" in t:
        rows = []
        for row in step.get("rows", []):
            row_fields = dict(fields)
            row_fields.update({k: (v if isinstance(v, str) else fmt(v)) for k, v in zip(t["row_fields"], row)})
            element = lookup.get(row[0], {})
            row_fields["p"] = element.get("symbol", "")
            row_fields["xs"] = lookup.get(element.get("from"), {}).get("symbol", "")
            rows.append(_sub(t["row"], row_fields))
        fields["rows"] = r" \\ ".join(rows)
    formula, narration = _sub(t["formula"], fields), _sub(t["narration"], fields)
    if "chain" in t and len(factors) > 2:
        narration += _sub(t["chain"], fields)
    if "c" in args:
        formula += _sub(templates["back"]["formula"], fields)
        narration += _sub(templates["back"]["narration"], fields)
    return _collapse(formula), narration
