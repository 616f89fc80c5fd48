Attribute VB_Name = "ZipingRibbon"
Option Explicit

' Ribbon callbacks of the add-in. ASCII only: the placeholders in braces are filled by
' addin.ribbon.ribbon_module_source(), Chinese text as hex code points (addin.vba_text).

' The xlwings VBA module of this workbook loads xlwings64-{xlwings_version}.dll; Python
' compares it with its own xlwings in the environment self-check.
Private Const XLWINGS_DLL_VERSION As String = "{xlwings_version}"

Public Sub OnZipingAction(control As IRibbonControl)
    On Error GoTo failed
    RunPython "import addin.ribbon_actions as r; r.on_action('" & control.Id & "', '" & XLWINGS_DLL_VERSION & "')"
    Exit Sub
failed:
    ' RunPython fails here, before any Python runs, when Python or the matching xlwings
    ' DLL is missing: the one problem Python cannot report itself.
    MsgBox {python_failed} & vbCrLf & vbCrLf & Err.Description, vbCritical, {title}
End Sub

' Pure-VBA self-test: LibreOffice evaluates it in CI to prove the VBA project runs.
Public Function ZIPING_VBA_VERSION() As String
    ZIPING_VBA_VERSION = "{version}"
End Function

{decoder}
