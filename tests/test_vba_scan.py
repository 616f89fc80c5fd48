"""Our VBA reads as what it is to a virus scanner: no obfuscation, one place that starts a process.

Defender, 360 and 火绒 flag macros that decode strings at open next to Shell calls. These
tests run oletools' ``VBA_Scanner`` — the heuristics olevba reports — over the modules of
the committed template, extracted by olevba itself (not by our reader). Attribute lines are
left out: their GUIDs look like hex strings but are not code. xlwings' own module is what it
is; its indicators are listed in the README (checked below) so a security reviewer knows
what to expect.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from oletools.olevba import VBA_Parser, VBA_Scanner

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "workbook_template.xlsm"
XLWINGS_MODULES = {"xlwings", "Dictionary"}
# olevba's obfuscation indicators: encoded strings and the functions that decode them.
OBFUSCATION_KEYWORDS = {"hex strings", "base64 strings", "dridex strings", "vba obfuscated strings",
                        "chr", "chrb", "chrw", "strreverse", "xor", "callbyname"}
DECODED_STRING_TYPES = {"Hex String", "Base64 String", "Dridex string", "VBA string"}
# The one routine allowed to start a process (the pre-flight's hidden python -c), and what it may use.
PROCESS_ROUTINE = ("ZipingSupport", "RunProbe")
PROCESS_KEYWORDS = {"createobject", "wscript.shell", "shell", "run"}
_PROCEDURE = re.compile(r"^(?:(?:Public|Private|Friend)\s+)?(?:Static\s+)?(?:Sub|Function|Property\s+(?:Get|Let|Set))"
                        r"\s+(\w+)", re.IGNORECASE)
_END = re.compile(r"^End\s+(?:Sub|Function|Property)\b", re.IGNORECASE)


def code_without_attributes(code: str) -> str:
    return "\n".join(line for line in code.splitlines() if not line.startswith("Attribute "))


@pytest.fixture(scope="module")
def modules() -> dict[str, str]:
    """Module name -> code, as olevba extracts it from the committed template."""
    parser = VBA_Parser(str(TEMPLATE))
    try:
        return {Path(name).stem: code_without_attributes(code) for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


@pytest.fixture(scope="module")
def ours(modules) -> dict[str, str]:
    return {name: code for name, code in modules.items() if name not in XLWINGS_MODULES}


def procedures(code: str) -> dict[str, str]:
    """Procedure name -> its lines (declaration to End); module-level lines under ""."""
    chunks: dict[str, list[str]] = {"": []}
    current = ""
    for line in code.splitlines():
        found = _PROCEDURE.match(line.strip())
        if not current and found:
            current = found.group(1)
            chunks[current] = []
        chunks[current].append(line)
        if current and _END.match(line.strip()):
            current = ""
    return {name: "\n".join(lines) for name, lines in chunks.items()}


def scan(code: str, deobfuscate: bool = False) -> list[tuple[str, str]]:
    return [(kind, keyword) for kind, keyword, _ in VBA_Scanner(code).scan(deobfuscate=deobfuscate)]


def test_the_template_holds_our_modules_and_xlwings(modules):
    assert {"ThisWorkbook", "ZipingUdfs", "ZipingRibbon", "ZipingSupport", *XLWINGS_MODULES} <= set(modules)


def test_no_obfuscation_indicator_in_our_modules(ours):
    for name, code in ours.items():
        found = scan(code, deobfuscate=True)
        assert not [hit for hit in found if hit[0] in DECODED_STRING_TYPES], name
        assert not [hit for hit in found if hit[0] == "Suspicious" and hit[1].lower() in OBFUSCATION_KEYWORDS], name


def test_a_process_is_started_in_one_routine_only(ours):
    starting = {}
    for module, code in ours.items():
        for procedure, text in procedures(code).items():
            suspicious = {keyword.lower() for kind, keyword in scan(text) if kind == "Suspicious"}
            if suspicious:
                starting[(module, procedure)] = suspicious
    assert starting == {PROCESS_ROUTINE: PROCESS_KEYWORDS}


def test_the_only_code_run_at_open_registers_the_function_help(ours):
    autoexec = {(name, keyword) for name, code in ours.items() for kind, keyword in scan(code) if kind == "AutoExec"}
    assert autoexec == {("ThisWorkbook", "Workbook_Open")}
    body = procedures(ours["ThisWorkbook"])["Workbook_Open"].splitlines()[1:-1]
    assert [line.strip() for line in body] == ["ZipingSupport.RegisterFunctionHelp"]
    registration = procedures(ours["ZipingSupport"])["RegisterFunctionHelp"]
    assert "ThisWorkbook.Saved = wasSaved" in registration  # opening does not make the book "changed"


def test_no_text_decoding_and_no_chinese_in_our_source(ours):
    for name, code in ours.items():
        assert code.isascii(), name
        assert not re.search(r"\bChrW?\$?\s*\(", code, re.IGNORECASE), name


def test_the_readme_lists_what_the_scanner_reports_for_xlwings_own_module(modules):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### xlwings 模块的扫描结果"):]
    section = section[:section.index("\n## ")]
    for name in sorted(XLWINGS_MODULES):
        hits = {keyword for kind, keyword in scan(modules[name]) if kind in ("Suspicious", "AutoExec")}
        missing = sorted(keyword for keyword in hits if f"`{keyword}`" not in section)
        assert not missing, f"README does not list {name}'s {missing}"
