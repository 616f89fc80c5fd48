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
