"""Pure-Python writer for VBA projects (``vbaProject.bin``, MS-OVBA in MS-CFB)."""

from .project import VbaModule, build_vba_project, load_module_file, parse_module_text, read_module_code

__all__ = ["VbaModule", "build_vba_project", "load_module_file", "parse_module_text", "read_module_code"]
