"""绩效自评助手 scoring core: pure Python, no Excel, no xlwings (except :mod:`udfs.excel`).

Read top to bottom: ``numbers`` (the number rules) → ``profile`` (every threshold) →
``model`` (typed records) → ``targets`` (reading target/actual text) → ``scoring`` (the
rules) → ``ratios`` (department-wide ratios) → ``cells`` (the Excel-cell boundary) →
``registry`` + ``excel`` (the UDFs).
"""
