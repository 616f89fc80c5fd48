"""The ``ziping`` console script and ``python -m addin``: start-up that Ctrl-C cannot break.

The console script imports this module before anything else of the project; it imports
nothing at module level, so a Ctrl-C while the interpreter loads :mod:`addin.cli` and the
command modules still ends with "已取消。" and exit code 130 instead of a KeyboardInterrupt
traceback. Once the command is done, Ctrl-C is ignored: the interpreter's shutdown would
otherwise die of it (exit -2) after the work and its output were complete.
"""


def main() -> int:
    try:
        from .cli import main as run

        code = run()
    except KeyboardInterrupt:  # before cli.main's own guard took over, or while it printed
        import sys

        sys.stderr.write("已取消。\n")
        code = 130
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    return code
