"""The ``ziping`` command starts and scores one indicator."""

import subprocess
import sys

from addin.cli import main


def test_help_lists_commands(capsys):
    assert main([]) == 0
    assert "score-target" in capsys.readouterr().out


def test_score_target(capsys):
    assert main(["score-target", "≥95%", "97%", "5"]) == 0
    out = capsys.readouterr().out
    assert "得分：5" in out and "正向指标" in out


def test_score_target_bad_weight_is_a_chinese_error_not_a_traceback():
    run = subprocess.run([sys.executable, "-m", "addin", "score-target", "≥95%", "97%", "五"],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert "分值应为数字" in run.stderr and "Traceback" not in run.stderr


def test_score_target_uses_the_cell_rules_for_the_weight(capsys):
    """Same parsing as =PERF_SCORE: a negative 分值 is an error, not "得满分-5分"."""
    assert main(["score-target", "≥95%", "97%", "-5"]) == 2
    err = capsys.readouterr().err
    assert "分值不能为负数" in err


def command_names() -> list[str]:
    from addin.cli import build_parser

    return list(build_parser()._subparsers._group_actions[0].choices)


# Words a user may see in ASCII: the program, its commands and options, file types, products.
ALLOWED_WORDS = {"ziping", "xlsx", "xlsm", "xls", "docx", "pdf", "PDF", "JSON", "LibreOffice", "CPU", "Word",
                 "Excel", "WPS", "Python", "workbook_template", "out", "bogus",
                 *(part for name in command_names() for part in name.split("-"))}


def english_words(text: str) -> set[str]:
    """ASCII words left after removing option strings (-h, --no-pdf) and allowed names."""
    import re

    text = re.sub(r"(?<![\w])--?[\w-]+", " ", text)
    return {word for word in re.findall(r"[A-Za-z_]{2,}", text) if word not in ALLOWED_WORDS}


def run_ziping(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "addin", *args], capture_output=True, text=True, timeout=60)


def test_help_is_chinese_for_the_program_and_every_command():
    done = run_ziping("--help")
    assert done.returncode == 0 and done.stdout.startswith("用法：ziping")
    assert "显示帮助并退出" in done.stdout and english_words(done.stdout) == set()
    for name in command_names():
        text = run_ziping(name, "--help").stdout
        assert text.startswith("用法：") and english_words(text) == set(), (name, english_words(text))


def test_argument_errors_are_chinese():
    missing = run_ziping("score-target")
    assert missing.returncode == 2
    assert "错误：缺少必需的参数：年度指标值, 实际完成值, 分值" in missing.stderr
    assert english_words(missing.stderr) == set(), missing.stderr
    unknown = run_ziping("bogus")
    assert unknown.returncode == 2 and "错误：" in unknown.stderr and "无效的选项" in unknown.stderr
    assert english_words(unknown.stderr) == set(), unknown.stderr
    extra = run_ziping("score-target", "1", "2", "3", "--bad")
    assert extra.returncode == 2 and "无法识别的参数" in extra.stderr


def test_help_headings_end_with_a_full_width_colon():
    program = run_ziping("--help").stdout
    assert "\n选项：\n" in program and "\n命令：\n" in program
    command = run_ziping("score-target", "--help").stdout
    assert "\n位置参数：\n" in command and "\n选项：\n" in command
    for text in (program, command):
        assert not [line for line in text.splitlines() if line.endswith(":")], text


def test_only_heading_lines_get_the_full_width_colon():
    from addin.cli import full_width_headings

    text = "选项:\n  --x   如“选项:”\n  子命令:\n选项:说明\n"
    assert full_width_headings(text, ["选项", "子命令", None]) == "选项：\n  --x   如“选项:”\n  子命令：\n选项:说明\n"


def test_an_unexpected_error_is_exit_4_with_a_log(tmp_path, monkeypatch, capsys):
    """A bug is one Chinese line naming a log; the traceback is in the log, not on screen."""
    import addin.importer.evaluate as evaluate
    from addin.crashlog import LOG_DIR_VARIABLE

    def bug(path, engine="auto"):
        return {}["missing"]

    monkeypatch.setattr(evaluate, "evaluate_file", bug)
    monkeypatch.setenv(LOG_DIR_VARIABLE, str(tmp_path / "日志"))
    assert main(["score", str(tmp_path / "a.xlsx")]) == 4
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith("错误：内部错误（KeyError）") and "Traceback" not in err
    log = next((tmp_path / "日志").iterdir())
    assert str(log) in err
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "KeyError: 'missing'" in text and "'score'" in text
