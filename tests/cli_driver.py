"""Run many ``ziping`` commands cheaply, each in its own process, and measure each one.

``python tests/cli_driver.py CASES.json RESULTS.json``: the driver imports the command line
and the spreadsheet libraries once, then forks one child per case. The child runs
``addin.cli.main(argv)`` with its stdout and stderr on files (C-level output such as a Rust
panic included) and exits with its code; the parent collects the exit code and the child's
peak memory from ``os.wait4`` (``ru_maxrss``, which includes the pages shared with the
driver, so it is an upper bound). A child still running after ``alarm`` seconds is killed by
SIGALRM: the suite cannot hang, and no assertion depends on how fast the machine is.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys


def _run(case: dict) -> dict:
    pid = os.fork()
    if pid == 0:  # the child: one command, then out without running the parent's cleanup
        code = 70
        try:
            signal.alarm(int(case.get("alarm", 120)))
            for fd, path in ((1, case["out"]), (2, case["err"])):
                target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                os.dup2(target, fd)
                os.close(target)
            from addin.cli import main

            code = main(case["argv"])
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status, usage = os.wait4(pid, 0)
    return {"code": os.waitstatus_to_exitcode(status), "maxrss_kb": usage.ru_maxrss}


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        cases = json.load(handle)
    import addin.batch  # noqa: F401 - what every command loads, loaded once before forking
    import addin.cli  # noqa: F401
    import addin.importer.evaluate  # noqa: F401
    import openpyxl  # noqa: F401
    import python_calamine  # noqa: F401

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    results = [{**_run(case), "baseline_kb": baseline} for case in cases]
    with open(sys.argv[2], "w", encoding="utf-8") as handle:
        json.dump(results, handle)


if __name__ == "__main__":
    main()
