Attribute VB_Name = "ZipingRibbon"
Option Explicit

' Ribbon callbacks of the add-in. ASCII only: the VBA editor reads source in the
' system ANSI code page, so all user-visible Chinese text lives in Python.
' The version literal below is filled in by addin.ribbon.ribbon_module_source().

Public Sub OnZipingAction(control As IRibbonControl)
    RunPython "import addin.ribbon_actions as r; r.on_action('" & control.Id & "')"
End Sub

' Pure-VBA self-test: LibreOffice evaluates it in CI to prove the VBA project runs.
Public Function ZIPING_VBA_VERSION() As String
    ZIPING_VBA_VERSION = "{version}"
End Function
