"""The ``ziping`` command. Each subcommand lives in its own module exposing ``add_parser``.

A command module registers itself with ``add_parser(subparsers)`` and sets ``func`` to a
callable taking the parsed args and returning an exit code. Errors meant for users are
:class:`addin.errors.UserError` and print as one Chinese line, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__
from .errors import UserError

COMMAND_MODULES = (
    "addin.commands.score_target",
    "addin.commands.report",
    "addin.commands.build_template",
    "addin.commands.import_table",
    "addin.commands.score",
    "addin.commands.batch",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ziping",
        description="绩效自评助手：计算预算支出绩效自评表得分，生成自评表与自评报告。",
    )
    parser.add_argument("--version", action="version", version=f"绩效自评助手 {__version__}")
    subparsers = parser.add_subparsers(title="命令", metavar="命令")
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except UserError as error:
        print(f"错误：{error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130
