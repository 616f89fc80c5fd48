"""绩效自评助手 add-in: workbook I/O, rendering, ribbon handlers, template build, CLI."""

__version__ = "0.1.0"
