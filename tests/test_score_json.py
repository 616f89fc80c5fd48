"""``ziping score --json``: the stable contract, on an official table and on our workbook."""

import json
import subprocess
import sys
from pathlib import Path

from addin.cli import main
from tests.official_tables import SEED_ROWS, build_seed_table

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "衡山县市场监督管理局_2022.xlsm"
TOP_KEYS = {"department", "year", "project", "total", "grade", "funds", "indicators", "published_total", "checks"}
FUNDS_KEYS = {"initial", "budget", "executed", "initial_text", "budget_text", "executed_text", "rate", "weight",
              "score"}
ROW_KEYS = {"level1", "level2", "level3", "target", "actual", "target_value", "actual_value", "weight",
            "weight_text", "rule_score", "score", "published_score", "rule", "flags", "explanation"}
RULES = {"positive", "reverse", "equal", "deadline", "qualitative", "unparsed", "manual"}


def score_json(path, capsys) -> tuple[int, dict]:
    code = main(["score", str(path), "--json"])
    return code, json.loads(capsys.readouterr().out)


def assert_contract(data: dict) -> None:
    assert set(data) == TOP_KEYS
    assert set(data["funds"]) == FUNDS_KEYS
    assert data["grade"] in ("优", "良", "中", "差")
    for row in data["indicators"]:
        assert set(row) == ROW_KEYS
        assert row["rule"] in RULES
        assert isinstance(row["flags"], list) and all(isinstance(f, str) and f.isascii() for f in row["flags"])
    for check in data["checks"]:
        assert set(check) == {"severity", "sheet", "cell", "message"}
        assert check["severity"] in ("error", "warning")


def test_official_table(tmp_path, capsys):
    code, data = score_json(build_seed_table(tmp_path / "自评表.xlsx"), capsys)
    assert code == 0
    assert_contract(data)
    assert (data["total"], data["grade"], data["published_total"]) == (98.0, "优", 98.0)
    assert (data["department"], data["year"], data["project"]) == ("衡山县市场监督管理局", 2022, "市场监督管理")
    assert data["funds"] == {"initial": 329.34, "budget": 231.13, "executed": 231.13, "rate": 1.0, "weight": 10.0,
                             "score": 10.0, "initial_text": "329.34", "budget_text": "231.13", "executed_text": "231.13"}
    rows = data["indicators"]
    assert len(rows) == 18
    assert [r["published_score"] for r in rows] == [float(r[6]) for r in SEED_ROWS if r[2]]
    quality = rows[4]
    assert (quality["rule"], quality["rule_score"], quality["score"]) == ("manual", 5.0, 4.0)
    assert "overridden" in quality["flags"]
    assert rows[2]["flags"] == ["over_achieved", "needs_reason"]
    assert rows[12]["rule"] == "reverse" and (rows[12]["target"], rows[12]["target_value"]) == ("10", 10.0)
    assert [c["cell"] for c in data["checks"]] == ["I14", "I15", "I28"]


def test_our_workbook_includes_the_narrative_finding(capsys):
    code, data = score_json(EXAMPLE, capsys)
    assert code == 0
    assert_contract(data)
    assert data["total"] == 98.0 and data["published_total"] == 98.0
    assert (data["department"], data["year"], data["project"]) == ("衡山县市场监督管理局", 2022, "市场监督管理")
    narrative = [c for c in data["checks"] if c["sheet"] == "工作成效"]
    assert len(narrative) == 1 and "393.2万余元" in narrative[0]["message"]
    assert narrative[0]["cell"]  # the paragraph's own cell, not just the sheet


def test_error_check_gives_exit_code_1(tmp_path, capsys):
    rows = list(SEED_ROWS)
    rows[0] = rows[0][:6] + (3, "")
    code, data = score_json(build_seed_table(tmp_path / "t.xlsx", rows=rows, published_total=96), capsys)
    assert code == 1
    assert data["indicators"][0]["score"] == 5.0 and data["indicators"][0]["published_score"] == 3.0
    assert any(c["severity"] == "error" and c["cell"] == "H12" for c in data["checks"])


def test_table_output_and_checks_copy(tmp_path, capsys):
    source = build_seed_table(tmp_path / "自评表.xlsx")
    copy = tmp_path / "带校验.xlsx"
    assert main(["score", str(source), "--checks-out", str(copy)]) == 0
    out = capsys.readouterr().out
    assert "总分：98  等级：优（表中总分 98）" in out and "校验：0个错误，3个警告" in out
    import openpyxl

    sheet = openpyxl.load_workbook(copy)["校验结果"]
    assert sheet["C2"].hyperlink.location == "'自评表'!I14"


def test_console_script_prints_utf8_json(tmp_path):
    source = build_seed_table(tmp_path / "自评表.xlsx")
    done = subprocess.run([sys.executable, "-m", "addin", "score", str(source), "--json"], capture_output=True,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout.decode("utf-8"))["total"] == 98.0


def test_checks_copy_must_be_xlsx(tmp_path, capsys):
    """The copy holds no macros; under .xlsm Excel would refuse to open it."""
    source = build_seed_table(tmp_path / "自评表.xlsx")
    assert main(["score", str(source), "--checks-out", str(tmp_path / "副本.xlsm")]) == 2
    assert "应以 .xlsx 结尾" in capsys.readouterr().err
    assert not (tmp_path / "副本.xlsm").exists()


def test_blank_actual_is_shown_as_blank_not_none(tmp_path, capsys):
    rows = ((*SEED_ROWS[0][:4], None, *SEED_ROWS[0][5:]), *SEED_ROWS[1:])
    source = build_seed_table(tmp_path / "自评表.xlsx", rows=rows)
    main(["score", str(source)])
    out = capsys.readouterr().out
    assert "实际 （空）" in out and "None" not in out
