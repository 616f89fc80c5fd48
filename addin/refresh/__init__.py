"""Bring a workbook back to life without Excel, and start next year from last year's.

Most county offices edit their workbook in WPS or LibreOffice, where our Python functions
cannot run: score cells show ``#VALUE!``/``#NAME?`` once an input changes, and saving there
strips the codeNames and damages the VBA project. ``ziping refresh`` reads the inputs of
such a workbook cell by cell (:mod:`.source`, by the layout version the workbook was made
with), carries them into the current layout (:mod:`.migrate`), rebuilds the workbook fresh
around them with every formula's value computed and the generated sheets written again
(:mod:`.rebuild`) and replaces the file safely (:mod:`.workflow`). ``ziping new --from``
uses the same reading to start next year's workbook (:mod:`.next_year`).
"""

__all__ = ["RefreshOutcome", "refresh_workbook"]


def __getattr__(name: str):
    """Load the workflow (openpyxl, the template builder) only when it is used: ``ziping batch``
    imports :mod:`.backup` for a file name, and ``--help`` must stay fast."""
    if name in __all__:
        from . import workflow

        return getattr(workflow, name)
    raise AttributeError(name)
