"""Child processes of the tests and benchmarks (app servers, nginx): waiting for them to stop."""
import subprocess


def reap(processes, timeout: float = 30) -> None:
    """Wait for each process (already told to stop) to exit; one that hangs past `timeout` is killed."""
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
