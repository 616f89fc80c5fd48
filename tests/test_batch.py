"""``ziping batch``: a folder of mixed workbooks -> one summary; bad files never stop it."""

import os
import shutil
from pathlib import Path

import openpyxl
import pytest

import addin.batch as batch
from addin.cli import main
from tests.official_tables import SEED_ROWS, Variant, build_seed_table, build_tables, xlsx_to_xls
from tests.test_bad_input import corrupt_zip, encrypted_minimal_container

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "衡山县市场监督管理局_2022.xlsm"


@pytest.fixture
def folder(tmp_path):
    inbox = tmp_path / "各部门"
    inbox.mkdir()
    build_seed_table(inbox / "A_官方.xlsx")
    build_seed_table(inbox / "B_元单位.xlsx", Variant(yuan=True, full_width=True, comparator_column=True))
    xlsx_to_xls(build_seed_table(tmp_path / "c.xlsx"), inbox / "C_旧版.xls")
    shutil.copy(EXAMPLE, inbox / "D_模板.xlsm")
    (inbox / "E_损坏.xlsx").write_bytes(corrupt_zip(tmp_path))
    (inbox / "F_加密.xlsx").write_bytes(encrypted_minimal_container(tmp_path))
    (inbox / "~$A_官方.xlsx").write_bytes(b"lock")  # Excel's lock file: not a workbook
    (inbox / "说明.txt").write_text("不是工作簿")
    return inbox


def snapshot(folder: Path) -> dict:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_summary_failures_and_charts(folder, tmp_path, capsys):
    before = snapshot(folder)
    output = tmp_path / "汇总.xlsx"
    assert main(["batch", str(folder), "-o", str(output), "-j", "2"]) == 1  # two files failed
    captured = capsys.readouterr()
    assert "批量评分 [" in captured.err and "6/6" in captured.err
    assert "已处理6个文件：4个项目，2个文件无法读取。" in captured.out
    assert snapshot(folder) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left

    book = openpyxl.load_workbook(output)
    assert book.sheetnames == ["汇总", "等级分布", "问题清单", "失败"]
    rows = [[c.value for c in row] for row in book["汇总"].iter_rows()]
    assert rows[0] == list(batch.SUMMARY_HEADERS)
    assert [r[8] for r in rows[1:]] == ["A_官方.xlsx", "B_元单位.xlsx", "C_旧版.xls", "D_模板.xlsm"]
    for row in rows[1:]:
        assert row[:6] == ["衡山县市场监督管理局", "市场监督管理", 2022, 98, "优", 1]
        assert row[6] == 0
    assert [r[7] for r in rows[1:]] == [3, 3, 3, 4]  # D also has the narrative 393.2 vs 399.32
    assert len(book["汇总"]._charts) == 1
    grades = [[c.value for c in row] for row in book["等级分布"].iter_rows()]
    assert grades == [["等级", "项目数"], ["优", 4], ["良", 0], ["中", 0], ["差", 0]]
    assert len(book["等级分布"]._charts) == 2
    failed = {row[0].value: row[1].value for row in book["失败"].iter_rows(min_row=2)}
    assert failed == {"E_损坏.xlsx": "文件已损坏，不是有效的 Excel 文件",
                      "F_加密.xlsx": "文件已加密，请先在 Excel 中取消密码后再导入"}
    problems = [[c.value for c in row] for row in book["问题清单"].iter_rows(min_row=2)]
    assert any(p[:3] == ["D_模板.xlsm", "警告", "工作成效"] and "393.2万余元" in p[4] for p in problems)


def test_a_crashing_worker_fails_only_its_file(folder, monkeypatch):
    """A parser dying in C code kills its process and breaks the pool; the batch retries the
    unfinished files one by one and reports only the culprit."""
    real = batch.evaluate_file

    def crash_on_b(path, engine="auto"):
        if Path(path).name.startswith("B_"):
            os._exit(1)
        return real(path, engine)

    monkeypatch.setattr(batch, "evaluate_file", crash_on_b)
    paths = batch.find_inputs(folder)
    outcomes = batch.run_batch(paths, workers=2)
    assert [o.file for o in outcomes] == [p.name for p in paths]
    failed = {o.file: o.failure for o in outcomes if o.failure}
    assert failed["B_元单位.xlsx"] == "读取此文件时处理进程异常退出，文件可能已损坏"
    assert set(failed) == {"B_元单位.xlsx", "E_损坏.xlsx", "F_加密.xlsx"}


def test_empty_folder_and_wrong_output(tmp_path, capsys):
    assert main(["batch", str(tmp_path), "-o", str(tmp_path / "汇总.xlsx")]) == 2
    assert "没有 .xlsx / .xlsm / .xls 文件" in capsys.readouterr().err
    assert main(["batch", str(tmp_path), "-o", str(tmp_path / "汇总.csv")]) == 2


def test_output_onto_a_department_workbook_is_refused(folder, capsys):
    """-o 部门A.xlsx inside the folder would drop A from the scoring and overwrite it."""
    before = snapshot(folder)
    assert main(["batch", str(folder), "-o", str(folder / "A_官方.xlsx"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "不是本工具生成的汇总表" in err and "Traceback" not in err
    assert snapshot(folder) == before


def test_a_previous_summary_is_replaced(folder, tmp_path, capsys):
    output = tmp_path / "汇总.xlsx"
    assert main(["batch", str(folder), "-o", str(output), "--quiet", "-j", "2"]) == 1
    assert main(["batch", str(folder), "-o", str(output), "--quiet", "-j", "2"]) == 1
    assert openpyxl.load_workbook(output).sheetnames == ["汇总", "等级分布", "问题清单", "失败"]


@pytest.mark.parametrize("jobs", ["0", "-1", "两"])
def test_jobs_must_be_a_positive_integer(tmp_path, capsys, jobs):
    with pytest.raises(SystemExit) as exit_info:
        main(["batch", str(tmp_path), "-o", str(tmp_path / "汇总.xlsx"), "-j", jobs])
    assert exit_info.value.code == 2
    assert "应为不小于 1 的整数" in capsys.readouterr().err


def test_a_file_with_several_tables_gives_one_row_per_project(tmp_path):
    rows = list(SEED_ROWS)
    rows[0] = rows[0][:6] + (3, "")  # printed 3 of 5 without a reason: an error in project 乙 only
    path = build_tables(tmp_path / "多项目.xlsx", {"说明": [], "甲": [dict(name="甲项目")],
                                                  "乙": [dict(name="乙项目", rows=rows)]})
    outcome = batch.evaluate_one(path)
    assert outcome.failure == ""
    assert [(r.project, r.year, r.errors, r.warnings) for r in outcome.rows] == [("甲项目", 2022, 0, 3), ("乙项目", 2022, 1, 3)]
    assert {r.department for r in outcome.rows} == {"衡山县市场监督管理局"}


def test_a_file_over_the_time_limit_fails_alone_and_its_worker_is_replaced(folder, monkeypatch):
    """A stuck worker (here: one that ignores SIGTERM and sleeps) is killed; the files after
    it are still scored by a fresh worker."""
    import signal
    import time

    real = batch.evaluate_file

    def stuck_on_a(path, engine="auto"):
        if Path(path).name.startswith("A_"):
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            time.sleep(600)
        return real(path, engine)

    monkeypatch.setattr(batch, "evaluate_file", stuck_on_a)
    outcomes = batch.run_batch(batch.find_inputs(folder), workers=1, timeout=2)
    failed = {o.file: o.failure for o in outcomes if o.failure}
    assert failed["A_官方.xlsx"] == "处理时间超过2秒，已停止处理此文件（文件可能过大或内容异常；时限可用 --timeout 调整）"
    assert [o.file for o in outcomes if o.rows] == ["B_元单位.xlsx", "C_旧版.xls", "D_模板.xlsm"]


def test_a_file_that_needs_endless_memory_fails_alone(folder, monkeypatch):
    """Workers have a capped address space: a parser allocating without end fails its file."""
    real = batch.evaluate_file

    def greedy_on_b(path, engine="auto"):
        if Path(path).name.startswith("B_"):
            bytearray(8 * 1024**3)
        return real(path, engine)

    monkeypatch.setattr(batch, "evaluate_file", greedy_on_b)
    outcomes = batch.run_batch(batch.find_inputs(folder), workers=2)
    failed = {o.file: o.failure for o in outcomes if o.failure}
    assert failed["B_元单位.xlsx"] == "处理此文件时内存不足，文件可能过大或内容异常"
    assert {o.file for o in outcomes if o.rows} == {"A_官方.xlsx", "C_旧版.xls", "D_模板.xlsm"}


def test_entries_that_are_not_files_are_listed_not_skipped(folder):
    os.mkfifo(folder / "管道.xlsx")
    os.symlink("/dev/null", folder / "空设备.xlsm")
    os.symlink("无.xlsx", folder / "失效.xls")
    names = [p.name for p in batch.find_inputs(folder)]
    assert {"管道.xlsx", "空设备.xlsm", "失效.xls"} <= set(names) and "~$A_官方.xlsx" not in names
    outcomes = {o.file: o.failure for o in batch.run_batch([folder / "管道.xlsx", folder / "空设备.xlsm",
                                                            folder / "失效.xls"], workers=1)}
    assert outcomes == {"管道.xlsx": "是命名管道（FIFO）而不是普通文件，无法作为 Excel 文件读取",
                        "空设备.xlsm": "是字符设备而不是普通文件，无法作为 Excel 文件读取",
                        "失效.xls": "是失效的符号链接（快捷方式），指向的文件不存在"}
