"""Run a helper program so that it cannot outlive us.

LibreOffice's ``soffice`` is a shell script that starts ``oosplash``, which starts
``soffice.bin``: killing the process we started leaves the real converter running, and a
parent killed with SIGKILL cannot clean up at all. So the conversion runs under this small
guard, which

* starts the command in a new session (its own process group: the whole LibreOffice tree);
* holds the read end of a *lifeline* pipe whose write end only the parent has: when the
  parent ends in any way — normally, by Ctrl-C, by SIGKILL — the pipe closes, and the guard
  kills the group and removes the folders it was given (the throw-away profile and the
  half-filled output folder);
* ignores Ctrl-C (the parent decides) and treats SIGTERM/SIGHUP like a closed lifeline;
* otherwise exits with the command's exit code, its output passed through unchanged.

Usage: ``python -I child_guard.py LIFELINE_FD [--cleanup DIR]... -- COMMAND...``
(:func:`run_guarded` builds it). Windows has no process groups of this kind; there the
command runs directly (:func:`guard_supported`).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path


def guard_supported() -> bool:
    return os.name == "posix"


def run_guarded(command: Sequence[str], cleanup: Sequence[Path], timeout: float,
                env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``command`` under the guard, capturing its text output; raises
    :class:`subprocess.TimeoutExpired` after ``timeout`` seconds (the command is then gone)."""
    if not guard_supported():
        return subprocess.run(list(command), capture_output=True, text=True, env=env, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    read_end, write_end = os.pipe()
    # -I: the guard needs only the standard library, and must not depend on sys.path or
    # the environment to find this file
    guard_args = [sys.executable, "-I", str(Path(__file__).resolve()), str(read_end)]
    for folder in cleanup:
        guard_args += ["--cleanup", str(folder)]
    try:
        guard = subprocess.Popen([*guard_args, "--", *command], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, env=env, pass_fds=(read_end,))
    finally:
        os.close(read_end)
    try:
        out, err = guard.communicate(timeout=timeout)
    except BaseException:  # timeout, Ctrl-C: closing the lifeline makes the guard kill the command
        os.close(write_end)
        write_end = -1
        try:
            guard.communicate(timeout=30)
        except BaseException:  # noqa: BLE001 - a second Ctrl-C: the guard still cleans up alone
            guard.kill()
        raise
    finally:
        if write_end >= 0:
            os.close(write_end)
    return subprocess.CompletedProcess(command, guard.returncode, out, err)


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _remove(folders: Sequence[str]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: Sequence[str]) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    lifeline = int(argv[0])
    split = list(argv).index("--")
    options, command = list(argv[1:split]), list(argv[split + 1:])
    cleanup = [options[i + 1] for i, option in enumerate(options) if option == "--cleanup"]
    process = subprocess.Popen(command, start_new_session=True, stdin=subprocess.DEVNULL)
    abandoned = threading.Event()

    def give_up(*_args) -> None:
        abandoned.set()
        _kill_group(process)

    signal.signal(signal.SIGTERM, give_up)
    signal.signal(signal.SIGHUP, give_up)

    def watch() -> None:
        try:
            while os.read(lifeline, 1024):
                pass
        except OSError:
            pass
        if process.poll() is None:
            give_up()

    threading.Thread(target=watch, daemon=True).start()
    code = process.wait()
    _kill_group(process)  # helpers LibreOffice left behind in the group, if any
    if abandoned.is_set():
        _remove(cleanup)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
