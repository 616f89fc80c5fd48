"""Reading spreadsheet files: plain grids of cell values with the number format of each cell.

Everything that reads a workbook — our template's reader, the official-table importer, batch —
starts here, below all of them (:mod:`.grid`, :mod:`.cell_formats`).
"""
