"""The ``ziping`` command. Each subcommand lives in its own module exposing ``add_parser``.

A command module registers itself with ``add_parser(subparsers)`` and sets ``func`` to a
callable taking the parsed args and returning an exit code. Errors meant for users are
:class:`addin.errors.UserError` and print as one Chinese line, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import re
import sys
from collections.abc import Iterable, Iterator

from . import __version__
from .errors import UserError, os_reason

COMMAND_MODULES = (
    "addin.commands.score_target",
    "addin.commands.report",
    "addin.commands.build_template",
    "addin.commands.import_table",
    "addin.commands.score",
    "addin.commands.batch",
    "addin.commands.new",
    "addin.commands.refresh",
    "addin.commands.doctor",
)


# argparse builds its messages from English templates looked up through the module-level
# ``argparse._`` (gettext) and ``argparse.ngettext``, with no Chinese catalogue shipped and no
# hook on the parser. These are the templates a ``ziping`` user can reach (Python 3.11–3.13);
# any other falls back to English, which only a programming error can produce.
MESSAGES = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "%(heading)s:": "%(heading)s：",  # Python ≥ 3.13; older versions write the colon literally
    "show this help message and exit": "显示帮助并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "此处需要一个值",
    "expected at least one argument": "此处至少需要一个值",
    "expected at most one argument": "此处最多一个值",
    "expected %s argument": "此处需要 %s 个值",
    "expected %s arguments": "此处需要 %s 个值",
    "invalid %(type)s value: %(value)r": "无效的值 %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "必须提供参数 %s 之一",
    "ignored explicit argument %r": "多余的值 %r",
    "unexpected option string: %s": "意外的选项：%s",
}


def full_width_headings(help_text: str, headings: Iterable[str | None]) -> str:
    """Section headings ending in "：" as Chinese text does ("选项：", "位置参数：").

    Python 3.11–3.12 append an ASCII ":" to each heading in code, outside gettext; only lines
    that are exactly one of ``headings`` plus ":" change, so descriptions and help keep theirs.
    """
    for heading in {h for h in headings if h}:
        help_text = re.sub(rf"^( *){re.escape(heading)}:$", lambda m: f"{m[1]}{heading}：", help_text, flags=re.M)
    return help_text


def _translate(message: str) -> str:
    return MESSAGES.get(message, message)


def _ntranslate(singular: str, plural: str, count: int) -> str:
    return _translate(singular if count == 1 else plural)


@contextlib.contextmanager
def _chinese_argparse() -> Iterator[None]:
    """Swap argparse's lookups for :data:`MESSAGES` while our parser formats or parses,
    then put them back (other argparse users in the process, e.g. pytest, keep English)."""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _translate, _ntranslate
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help, usage and errors are Simplified Chinese.

    ``add_subparsers`` creates subcommand parsers of the same class, so every ``ziping …
    --help`` is covered. Errors print "错误：…" and exit 2 like other usage errors.
    """

    def __init__(self, *args, **kwargs) -> None:
        with _chinese_argparse():  # the group titles and -h help are translated here
            super().__init__(*args, **kwargs)

    def parse_args(self, args=None, namespace=None):
        with _chinese_argparse():  # "unrecognized arguments" is raised here, not below
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with _chinese_argparse():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with _chinese_argparse():
            return super().format_usage()

    def format_help(self) -> str:
        with _chinese_argparse():
            text = super().format_help()
        return full_width_headings(text, (group.title for group in self._action_groups))

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"错误：{message}\n")


def positive_int(text: str) -> int:
    """An argparse type: an integer ≥ 1 (e.g. the number of worker processes)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为不小于 1 的整数，实际为“{text}”")
    return value


def positive_seconds(text: str) -> float:
    """An argparse type: a number of seconds > 0 (e.g. a time limit)."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"应为大于 0 的秒数，实际为“{text}”")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="ziping",
        description="绩效自评助手：计算预算支出绩效自评表得分，生成自评表与自评报告。",
    )
    parser.add_argument("--version", action="version", version=f"绩效自评助手 {__version__}",
                        help="显示版本号并退出")
    subparsers = parser.add_subparsers(title="命令", metavar="命令")
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_parser(subparsers)
    return parser


def os_error_message(error: OSError) -> str:
    """One Chinese sentence naming the path, for any failure to read or write a file."""
    reason = os_reason(error)
    if isinstance(error, FileExistsError):
        reason = "已有同名文件，不能用作文件夹"
    elif isinstance(error, PermissionError):
        reason += "，或文件正被 Excel、Word 等程序打开，请关闭后重试"
    where = error.filename if error.filename is not None else "文件"
    return f"无法读写“{where}”：{reason}"


INTERNAL_ERROR_EXIT = 4
CANCELLED_EXIT = 130


def main(argv: list[str] | None = None) -> int:
    """Run one command; whatever happens, the user reads one Chinese line and an exit code.

    0/1/2/3 are the documented outcomes (README); anything unexpected is exit 4 with one
    line naming a log file that holds the traceback (:mod:`addin.crashlog`); Ctrl-C is exit
    130 with "已取消。", never a KeyboardInterrupt traceback (a second Ctrl-C while cleaning
    up is ignored).
    """
    try:
        from .crashlog import quiet_unraisable

        quiet_unraisable()
        parser = build_parser()
        args = parser.parse_args(argv)
        if not hasattr(args, "func"):
            parser.print_help()
            return 0
        return int(args.func(args) or 0)
    except UserError as error:
        print(f"错误：{error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return cancelled()
    except BrokenPipeError:  # ``ziping score x | head``: the reader went away, nothing to say
        _silence_stdout()
        return 1
    except OSError as error:  # the one place: output folders, locked files, full disks
        print(f"错误：{os_error_message(error)}", file=sys.stderr)
        return 2
    except Exception as error:  # noqa: BLE001 - the last guard: one line, the traceback in a log
        from .crashlog import write_crash_log

        log = write_crash_log(error, argv if argv is not None else sys.argv[1:])
        where = f"详细信息已写入“{log}”，" if log else ""
        print(f"错误：内部错误（{type(error).__name__}），{where}请将此文件和所用的输入文件发给技术支持", file=sys.stderr)
        return INTERNAL_ERROR_EXIT


def cancelled() -> int:
    """Ctrl-C: one line, exit 130; further Ctrl-C while the interpreter winds down is ignored."""
    import signal

    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread
        pass
    print("已取消。", file=sys.stderr)
    return CANCELLED_EXIT


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
