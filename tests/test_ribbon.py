"""The ribbon definition and its VBA callbacks fit together."""

from __future__ import annotations

import re

import pytest
from defusedxml.ElementTree import fromstring

from addin.ribbon import NS_CUSTOM_UI14, check_ribbon, custom_ui_xml, ribbon_module_source

BUTTONS = {
    "btnGenerateTable": "生成自评表",
    "btnGenerateReport": "生成自评报告",
    "btnValidate": "数据校验",
    "btnSelfCheck": "环境自检",
}
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
        assert button.get("onAction") == "OnZipingAction"
        assert button.get("imageMso")
        assert CJK.search(button.get("screentip")) and CJK.search(button.get("supertip"))


def test_ribbon_module_source_is_ascii_vba_with_the_version():
    source = ribbon_module_source("0.1.0", "0.37.8")
    assert source.isascii()
    assert source.startswith('Attribute VB_Name = "ZipingRibbon"\r\n')
    assert "\n" not in source.replace("\r\n", "")
    assert 'ZIPING_VBA_VERSION = "0.1.0"' in source
    assert "{" not in source and "}" not in source  # every placeholder filled
    assert "Public Sub OnZipingAction(control As IRibbonControl)" in source
    assert "RunPython \"import addin.ribbon_actions as r; r.on_action('\" & control.Id & \"', '\" & XLWINGS_DLL_VERSION & \"')\"" in source
    assert max(len(line) for line in source.split("\r\n")) <= 1023  # VBA's line length limit
    assert "On Error GoTo failed" in source and "MsgBox ZipingText(" in source


@pytest.mark.parametrize("version", ['1.0" & Shell("calc") & "', "", "版本1"])
def test_ribbon_module_source_rejects_unsafe_versions(version):
    with pytest.raises(ValueError):
        ribbon_module_source(version, "0.37.8")
    with pytest.raises(ValueError):
        ribbon_module_source("0.1.0", version)


def test_qualified_on_action_names_the_module():
    ui = custom_ui_xml().replace('"OnZipingAction"', '"ZipingRibbon.OnZipingAction"')
    assert check_ribbon(ui, sources()) == []
    wrong = custom_ui_xml().replace('"OnZipingAction"', '"Other.OnZipingAction"')
    assert len(check_ribbon(wrong, sources())) == len(BUTTONS)


@pytest.mark.parametrize("broken_source, expected", [
    ("Attribute VB_Name = \"ZipingRibbon\"\r\n", "names no Sub"),
    ("Public Sub OnZipingAction()\r\nEnd Sub\r\n", "is not declared as"),
    ("Public Sub OnZipingAction(control As String)\r\nEnd Sub\r\n", "is not declared as"),
    ("Private Sub OnZipingAction(control As IRibbonControl)\r\nEnd Sub\r\n", "is not declared as"),
    ("Public Function OnZipingAction(control As IRibbonControl)\r\nEnd Function\r\n", "names no Sub"),
])
def test_broken_callbacks_are_reported(broken_source, expected):
    problems = check_ribbon(custom_ui_xml(), sources(broken_source))
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
