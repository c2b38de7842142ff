"""Importing plan workbooks (任务分解表 + 指标表) as people make them.

``grid`` opens the file within limits, ``headers`` finds each sheet's header, ``parsers``
reads numbering, deadlines, standards and unit roles from cell text, ``reading`` turns the
workbook into a plan spec with every problem's sheet and cell (``read_plan_workbook``),
``matching`` matches the written unit names against the database (``preview_import``), and
``writing`` stores units, aliases and the plan in one transaction (``apply_import``).
"""
