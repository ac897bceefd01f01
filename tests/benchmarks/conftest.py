"""The benchmark scripts are run by hand (python tests/benchmarks/bench_*.py); pytest must not collect them."""
collect_ignore_glob = ["bench_*.py", "load.py"]
