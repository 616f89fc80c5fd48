"""The project's own registry of Excel functions: name, arguments, help text, category.

On Linux ``xw.func`` records nothing, yet the VBA wrappers and the function-wizard help in
the template are generated from this registry at build time, so it is the single source of
truth. :func:`excel_function` both registers a function and applies the xlwings decorators.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Callable

CATEGORY = "绩效自评"


@dataclass(frozen=True)
class UdfArg:
    name: str
    help: str
    optional: bool


@dataclass(frozen=True)
class UdfSpec:
    name: str
    help: str
    args: tuple[UdfArg, ...]
    category: str = CATEGORY
    spills: bool = False  # returns a 2-D array that spills


REGISTRY: dict[str, UdfSpec] = {}


def register(func: Callable, help: str, arg_help: dict[str, str], spills: bool = False) -> UdfSpec:
    """Record ``func`` under its own name; every parameter must have help text."""
    params = inspect.signature(func).parameters
    missing = set(params) ^ set(arg_help)
    if missing:
        raise ValueError(f"{func.__name__}: argument help does not match parameters: {sorted(missing)}")
    spec = UdfSpec(
        name=func.__name__,
        help=help,
        args=tuple(UdfArg(name, arg_help[name], p.default is not inspect.Parameter.empty) for name, p in params.items()),
        spills=spills,
    )
    REGISTRY[spec.name] = spec
    return spec
