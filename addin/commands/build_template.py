"""``ziping build-template``: write workbook_template.xlsm and the 衡山县 example workbook.

``--check`` rebuilds in memory and fails when a committed file differs, so CI (and the
test suite) catch a layout or core change that was not followed by a rebuild.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("build-template", help="生成填报模板 workbook_template.xlsm 和示例工作簿")
    parser.add_argument("--root", type=Path, metavar="目录", default=Path.cwd(), help="项目根目录（默认当前目录）")
    parser.add_argument("--check", action="store_true", help="只检查已提交的文件是否与重新生成的一致，不一致时返回1")
    parser.set_defaults(func=run)


def stale_files(root: Path) -> list[Path]:
    """Committed workbooks that are missing or differ from a fresh build."""
    from ..template import built_files

    return [path for path, data in built_files().items()
            if not (root / path).is_file() or (root / path).read_bytes() != data]


def run(args: argparse.Namespace) -> int:
    if args.check:
        stale = stale_files(args.root)
        for path in stale:
            print(f"需要重新生成：{path}（请运行 ziping build-template）")
        if not stale:
            print("模板与示例工作簿均为最新。")
        return 1 if stale else 0
    from ..template import build_all

    for path in build_all(args.root):
        print(f"已生成：{path}")
    return 0
