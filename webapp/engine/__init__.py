"""Pure numpy backpropagation engine: spec in, step trace out. Never imports Flask."""
from .network import NetworkSpec, compute
from .trace_json import build_trace, encode

__all__ = ["NetworkSpec", "compute", "build_trace", "encode"]
