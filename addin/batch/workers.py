"""Worker processes that each handle one task at a time under a time limit, and die with us.

``concurrent.futures.ProcessPoolExecutor`` cannot stop one stuck task (a file whose text
makes a check run for minutes), loses the whole pool when one worker dies, and leaves its
workers running when the parent is killed with SIGKILL. :func:`run_each` instead gives each
worker its own pipe and one task at a time, so the parent knows which task every worker is
on and for how long:

* a task over its time limit gets its worker killed (SIGKILL) and a fresh worker started;
* a worker that dies (a crash in a parser's C or Rust code, the kernel's OOM killer) fails
  only its own task, and is replaced;
* workers ignore Ctrl-C (the terminal sends it to the whole process group; the parent
  answers it and stops them) and die with their parent however it dies: on Linux the kernel
  kills them (``PR_SET_PDEATHSIG``), elsewhere a watcher thread notices the parent is gone;
* each worker's address space is capped (:data:`WORKER_MEMORY_BYTES`), so a file that makes
  a parser allocate without end fails alone instead of swapping the machine.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

WORKER_MEMORY_BYTES = 4 * 1024**3
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Done(Generic[R]):
    value: R


@dataclass(frozen=True)
class TimedOut:
    seconds: float


@dataclass(frozen=True)
class Crashed:
    exit_code: int | None  # negative: killed by that signal


@dataclass(frozen=True)
class Raised:
    name: str  # the exception's type name; the task function is expected not to raise


Outcome = Done | TimedOut | Crashed | Raised


def _context():
    """fork where it exists (workers start in milliseconds with the parent's modules loaded;
    the parent has no threads), spawn elsewhere."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # it died before the kernel was asked to tell us
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _cap_memory() -> None:
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > WORKER_MEMORY_BYTES:
            if soft == resource.RLIM_INFINITY or soft > WORKER_MEMORY_BYTES:
                resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_BYTES, hard))
    except (ImportError, ValueError, OSError):  # Windows, or a limit we may not change
        pass


def _worker(conn, work: Callable[[T], R], parent: int) -> None:
    """A worker's life: take a task, send its result, until told to stop or orphaned."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent)
    _cap_memory()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            result: Outcome = Done(work(task))
        except BaseException as error:  # noqa: BLE001 - reported as the task's outcome
            result = Raised(type(error).__name__)
        try:
            conn.send(result)
        except (OSError, ValueError):
            return


class _Worker:
    def __init__(self, context, work: Callable) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child, work, os.getpid()), daemon=True)
        self.process.start()
        child.close()
        self.task: int | None = None
        self.deadline = 0.0

    def give(self, index: int, item: object, timeout: float) -> None:
        self.task, self.deadline = index, time.monotonic() + timeout
        self.conn.send(item)

    def stop(self) -> None:
        """Kill at once: a worker may be deep in a parser that ignores gentler signals."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


def run_each(items: Sequence[T], work: Callable[[T], R], workers: int, timeout: float,
             progress: Callable[[int, int], None] = lambda done, total: None) -> list[Outcome]:
    """``work(item)`` for every item in up to ``workers`` processes; outcomes in input order.

    ``work`` must be a module-level function where processes are spawned (Windows).
    """
    context = _context()
    outcomes: list[Outcome | None] = [None] * len(items)
    queue = deque(range(len(items)))
    pool = [_Worker(context, work) for _ in range(min(workers, len(items)))]
    finished = 0
    resent: set[int] = set()

    def settle(worker: _Worker, outcome: Outcome) -> None:
        nonlocal finished
        assert worker.task is not None
        outcomes[worker.task] = outcome
        worker.task = None
        finished += 1
        progress(finished, len(items))

    def replace(worker: _Worker) -> None:
        worker.stop()
        pool[pool.index(worker)] = _Worker(context, work)

    try:
        while finished < len(items):
            for worker in list(pool):
                if worker.task is None and queue:
                    index = queue.popleft()
                    try:
                        worker.give(index, items[index], timeout)
                    except (OSError, ValueError):  # it died while idle: not this task's fault
                        worker.task = None
                        replace(worker)
                        if index in resent:  # fresh workers die too: give up on this task
                            outcomes[index] = Crashed(None)
                            finished += 1
                            progress(finished, len(items))
                        else:
                            resent.add(index)
                            queue.appendleft(index)
            busy = [worker for worker in pool if worker.task is not None]
            if not busy:
                continue
            left = max(0.0, min(worker.deadline for worker in busy) - time.monotonic())
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=left))
            for worker in busy:
                if worker.conn in ready:
                    try:
                        settle(worker, worker.conn.recv())
                        continue
                    except (EOFError, OSError, ValueError, TypeError, AttributeError, ImportError):
                        pass  # died mid-message: a crash, below
                if worker.conn in ready or worker.process.sentinel in ready:
                    worker.process.join(5)
                    settle(worker, Crashed(worker.process.exitcode))
                    replace(worker)
                elif time.monotonic() >= worker.deadline:
                    settle(worker, TimedOut(timeout))
                    replace(worker)
    finally:
        for worker in pool:
            worker.stop()
    return [outcome for outcome in outcomes if outcome is not None]
