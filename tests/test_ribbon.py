"""The ribbon definition and its VBA callbacks fit together."""

from __future__ import annotations

import re

import pytest
from defusedxml.ElementTree import fromstring

from addin import envcheck
from addin import layout as L
from addin.ribbon import NS_CUSTOM_UI14, check_ribbon, custom_ui_xml, ribbon_module_source, support_module_source

BUTTONS = {
    "btnGenerateTable": "生成自评表",
    "btnGenerateReport": "生成自评报告",
    "btnValidate": "数据校验",
    "btnSelfCheck": "环境自检",
}
# 环境自检 has its own callback: it runs every check, the others only the once-per-session pre-flight.
CALLBACKS = {button: "OnZipingSelfCheck" if button == "btnSelfCheck" else "OnZipingAction" for button in BUTTONS}
CJK = re.compile(r"[\u4e00-\u9fff]")


def sources(ribbon_source: str | None = None) -> dict[str, str]:
    return {"ZipingRibbon": ribbon_module_source("1.2.3", "0.37.8") if ribbon_source is None else ribbon_source}


def test_shipped_ribbon_passes_its_checks():
    assert check_ribbon(custom_ui_xml(), sources()) == []


def test_ribbon_has_our_tab_and_buttons():
    root = fromstring(custom_ui_xml().encode("utf-8"))
    ns = f"{{{NS_CUSTOM_UI14}}}"
    tab = root.find(f"{ns}ribbon/{ns}tabs/{ns}tab")
    assert (tab.get("id"), tab.get("label")) == ("tabZiping", "绩效自评")
    buttons = {b.get("id"): b for b in tab.iter(f"{ns}button")}
    assert {i: b.get("label") for i, b in buttons.items()} == BUTTONS
    for button in buttons.values():
        assert button.get("size") == "large"
        assert button.get("onAction") == CALLBACKS[button.get("id")]
        assert button.get("imageMso")
        assert CJK.search(button.get("screentip")) and CJK.search(button.get("supertip"))


def test_ribbon_module_source_is_ascii_vba_with_the_version():
    source = ribbon_module_source("0.1.0", "0.37.8")
    assert source.isascii()
    assert source.startswith('Attribute VB_Name = "ZipingRibbon"\r\n')
    assert "\n" not in source.replace("\r\n", "")
    assert 'ZIPING_VBA_VERSION = "0.1.0"' in source and 'XLWINGS_DLL_VERSION As String = "0.37.8"' in source
    assert re.findall(r"\{\w+\}", source) == ["{error}"]  # every build-time placeholder filled
    assert "Public Sub OnZipingAction(control As IRibbonControl)" in source
    assert "Public Sub OnZipingSelfCheck(control As IRibbonControl)" in source
    assert max(len(line) for line in source.split("\r\n")) <= 1023  # VBA's line length limit
    assert "ChrW" not in source and "ZipingText" not in source  # no decoder: texts are cells


def test_python_runs_only_after_the_pre_flight_and_its_result_is_checked():
    lines = [line.strip() for line in ribbon_module_source("0.1.0", "0.37.8").split("\r\n")]
    preflight = lines.index("problem = PreflightProblem(interpreter)")
    self_check = lines.index("codes = ProbeCodes(interpreter)")
    run = next(i for i, line in enumerate(lines) if line.startswith("result = RunPython("))
    assert preflight < run and self_check < run
    assert "r.on_action('\" & controlId & \"', '\" _" in lines[run]
    assert 'If result = -1 Then MsgBox Filled(UiText("button.failed"), interpreter), vbCritical, UiText("title")' in lines
    assert lines.index("failed:") > run  # VBA errors (no UDF server, no DLL) get the Chinese message too


def test_support_module_runs_the_same_checks_as_ziping_doctor():
    source = support_module_source("0.37.8", help_lines=['    DescribeFunction "F", "a b"'])
    assert source.isascii() and source.startswith('Attribute VB_Name = "ZipingSupport"\r\n')
    assert "Option Private Module" in source  # not a worksheet function, not in the macro list
    checks = envcheck.probes("0.37.8")
    assert f'CHECK_KEYS As String = "{",".join(probe.key for probe in checks)}"' in source
    for probe in checks:
        if probe.statement:
            assert f'Case "{probe.key}": ProbeStatement = "{probe.statement}"' in source
    assert f'PREFLIGHT_STATEMENT As String = "{envcheck.preflight_statement("0.37.8")}"' in source
    assert 'DLL_NAMES As String = "xlwings64-0.37.8.dll,xlwings32-0.37.8.dll"' in source
    assert f"NOT_STARTED As Long = {envcheck.NOT_STARTED}" in source
    assert f"values = {L.UI_TEXTS.code_name}.UsedRange.Value" in source
    assert '    DescribeFunction "F", "a b"' in source
    runtime = {"{interpreter}", "{python}", "{label}", "{status}"}
    assert set(re.findall(r"\{\w+\}", source)) == runtime
    assert max(len(line) for line in source.split("\r\n")) <= 1023


@pytest.mark.parametrize("version", ['1.0" & Shell("calc") & "', "", "版本1"])
def test_ribbon_module_source_rejects_unsafe_versions(version):
    with pytest.raises(ValueError):
        ribbon_module_source(version, "0.37.8")
    with pytest.raises(ValueError):
        ribbon_module_source("0.1.0", version)
    with pytest.raises(ValueError):
        support_module_source(version, help_lines=[])


def test_qualified_on_action_names_the_module():
    ui = custom_ui_xml().replace('"OnZiping', '"ZipingRibbon.OnZiping')
    assert check_ribbon(ui, sources()) == []
    wrong = custom_ui_xml().replace('"OnZiping', '"Other.OnZiping')
    assert len(check_ribbon(wrong, sources())) == len(BUTTONS)


@pytest.mark.parametrize("broken_source, expected", [
    ("Attribute VB_Name = \"ZipingRibbon\"\r\n", "names no Sub"),
    ("Public Sub {name}()\r\nEnd Sub\r\n", "is not declared as"),
    ("Public Sub {name}(control As String)\r\nEnd Sub\r\n", "is not declared as"),
    ("Private Sub {name}(control As IRibbonControl)\r\nEnd Sub\r\n", "is not declared as"),
    ("Public Function {name}(control As IRibbonControl)\r\nEnd Function\r\n", "names no Sub"),
])
def test_broken_callbacks_are_reported(broken_source, expected):
    source = "".join(broken_source.replace("{name}", name) for name in sorted(set(CALLBACKS.values())))
    problems = check_ribbon(custom_ui_xml(), sources(source))
    assert len(problems) == len(BUTTONS)
    assert all(expected in p for p in problems)


def test_duplicate_ids_are_reported():
    ui = custom_ui_xml().replace('id="btnValidate"', 'id="btnGenerateTable"')
    assert check_ribbon(ui, sources()) == ["duplicate control id 'btnGenerateTable'"]


def test_wrong_namespace_malformed_xml_and_missing_label():
    old_ns = custom_ui_xml().replace(NS_CUSTOM_UI14, "http://schemas.microsoft.com/office/2006/01/customui")
    assert any("expected customUI" in p for p in check_ribbon(old_ns, sources()))
    assert check_ribbon("<customUI", sources())[0].startswith("customUI is not well-formed")
    no_label = custom_ui_xml().replace('label="生成自评表"', 'label="生成"')
    assert check_ribbon(no_label, sources()) == ["no control is labelled '生成自评表'"]
