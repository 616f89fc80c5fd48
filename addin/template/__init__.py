"""Build the input workbook (.xlsm) from the layout: the empty template and the demo example.

:func:`build_template` is pure (department in, bytes out, byte-identical on every run);
:func:`build_all` writes the two committed files. Formula cells carry cached values computed
by our own core, so the numbers show in Excel without Python, in WPS and in LibreOffice.
"""

from .build import EXAMPLE_FILE, TEMPLATE_FILE, build_all, build_template, built_files

__all__ = ["EXAMPLE_FILE", "TEMPLATE_FILE", "build_all", "build_template", "built_files"]
