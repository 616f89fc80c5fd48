"""The text-vs-table check: precision and recall on the labelled corpus, and cost on huge cells.

Run by hand from the repository root (``python benchmarks/bench_narrative.py``); figures go
in the README. ``--baseline REV`` also runs ``addin/checks.py`` as it was at REV (default
edef32b, the substring-enumerating check) on the same corpus, loaded from git into a scratch
module; ``--baseline-name-length N`` times that old check on an N-character name (it builds
every substring of the name for every paragraph: 1 000 characters took 22 s and 495 MB).

Cost cases (best of three runs; memory as tracemalloc's peak in a separate run, as tracing
slows the code down):
  name      one 三级指标 name of 32 767 characters beside the seed's table and narrative
  paragraph one 工作成效 paragraph of 32 767 characters (the seed's text repeated)
  both      that paragraph containing that name, twice
  figures   a paragraph of 32 767 characters that is nothing but figures ("1人2人3人…")
  many      1 000 indicators with distinct names against the 32 767-character paragraph
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import subprocess
import sys
import time
import tracemalloc
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from addin.checks import Origins, check_narrative  # noqa: E402
from addin.demo import load_demo  # noqa: E402
from tests.narrative_corpus import corpus, measure  # noqa: E402
from udfs.model import Indicator  # noqa: E402
from udfs.scoring import score_project  # noqa: E402

LIMIT = 32_767  # characters an Excel cell holds


def old_checks(revision: str):
    """addin/checks.py at ``revision`` as a module of the addin package."""
    source = subprocess.run(["git", "show", f"{revision}:addin/checks.py"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    spec = importlib.util.spec_from_loader("addin._checks_baseline", loader=None)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "addin"
    sys.modules[spec.name] = module  # dataclasses look their module up
    exec(compile(source, f"{revision}:addin/checks.py", "exec"), module.__dict__)
    return module


def report_precision(label: str, check, origins_type) -> None:
    started = time.perf_counter()
    tally = measure(check, corpus(), origins_type)
    print(f"{label}: {tally.summary()} ({time.perf_counter() - started:.1f} s)")
    if tally.false_by_kind:
        print("  false warnings by sentence kind:", dict(tally.false_by_kind.most_common()))
    if tally.missed_by_kind:
        print("  missed contradictions by kind:", dict(tally.missed_by_kind.most_common()))


def _cjk(rng: random.Random, length: int) -> str:
    return "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(length))


def cost_cases():
    demo = load_demo()
    rng = random.Random(32767)
    seed_text = "".join(demo.key_work + demo.performance)
    paragraph = (seed_text * (LIMIT // len(seed_text) + 1))[:LIMIT]
    name = _cjk(rng, LIMIT)
    project = demo.projects[0]
    huge_name = replace(project, indicators=project.indicators + (
        Indicator("产出指标", "数量指标", name, "≥100人", "120人", Decimal(1)),))
    figures = "".join(f"{i}人" for i in range(1, 10_000))[:LIMIT]
    many = replace(project, indicators=tuple(
        Indicator("产出指标", "数量指标", _cjk(rng, 8), f"≥{i + 10}人", f"{i + 12}人", Decimal(1)) for i in range(1000)))
    yield "name", replace(demo, projects=(huge_name,))
    yield "paragraph", replace(demo, key_work=(paragraph,))
    both = (name[:LIMIT // 2 - 10] + "100人") * 2
    yield "both", replace(demo, projects=(huge_name,), key_work=(both[:LIMIT],))
    yield "figures", replace(demo, key_work=(figures,))
    yield "many", replace(demo, projects=(many,), key_work=(paragraph,))


def measured(check, department, results, repeats: int = 3) -> tuple[float, float, list]:
    """(best seconds, peak MiB, checks) of ``check`` on one department."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        checks = check(department, results)
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    check(department, results)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return min(times), peak / 2**20, checks


def report_cost(check, label: str) -> None:
    for case, department in cost_cases():
        results = [score_project(p) for p in department.projects]
        elapsed, peak, checks = measured(check, department, results)
        print(f"{label} {case:9s}: {elapsed * 1000:8.1f} ms, peak {peak:6.1f} MiB, {len(checks)} warnings")


def report_old_name(module, length: int) -> None:
    demo = load_demo()
    project = demo.projects[0]
    name = _cjk(random.Random(1), length)
    department = replace(demo, projects=(replace(project, indicators=project.indicators + (
        Indicator("产出指标", "数量指标", name, "≥100人", "120人", Decimal(1)),)),))
    results = [score_project(p) for p in department.projects]
    for label, check in (("baseline", module.check_narrative), ("current", check_narrative)):
        elapsed, peak, _ = measured(check, department, results, repeats=1)
        print(f"{label} {length}-character name: {elapsed:.2f} s, peak {peak:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="edef32b", help="git revision of the old check ('' to skip)")
    parser.add_argument("--baseline-name-length", type=int, default=300)
    args = parser.parse_args()
    report_precision("current ", check_narrative, Origins)
    module = old_checks(args.baseline) if args.baseline else None
    if module is not None:
        report_precision("baseline", module.check_narrative, module.Origins)
    report_cost(check_narrative, "current")
    if module is not None and args.baseline_name_length:
        report_old_name(module, args.baseline_name_length)


if __name__ == "__main__":
    main()
