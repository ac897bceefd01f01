"""Pure numpy backpropagation engine: spec in, step trace out. Never imports Flask."""
from .network import NetworkSpec, compute
from .schema import build_trace

__all__ = ["NetworkSpec", "compute", "build_trace"]
