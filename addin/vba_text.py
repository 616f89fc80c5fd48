"""Chinese text in ASCII-only VBA source.

VBA source is compiled in the project code page (1252), so Chinese cannot be written as
string literals. Each generated module that shows Chinese carries a Private decoder, and
the text is written as space-separated hex code points: ``ZipingText("7EE9 6548")``.
"""

from __future__ import annotations

DECODER_NAME = "ZipingText"


def vba_text(text: str) -> str:
    """'绩效' -> 'ZipingText("7EE9 6548")': an ASCII VBA expression for the text."""
    return f'{DECODER_NAME}("' + " ".join(f"{ord(char):X}" for char in text) + '")'


def decoder_lines() -> list[str]:
    """The module-private VBA function behind :func:`vba_text` (Private: no worksheet function)."""
    return [
        f"Private Function {DECODER_NAME}(ByVal codes As String) As String",
        "    ' Decodes space-separated hex code points; keeps the source ASCII-only.",
        "    Dim parts() As String, i As Long",
        '    parts = Split(codes, " ")',
        "    For i = LBound(parts) To UBound(parts)",
        f'        {DECODER_NAME} = {DECODER_NAME} & ChrW(CLng("&H" & parts(i)))',
        "    Next i",
        "End Function",
        "",
    ]
