Attribute VB_Name = "ZipingRibbon"
Option Explicit

' Ribbon callbacks of the add-in. ASCII only: the placeholders in braces are filled by
' addin.ribbon.ribbon_module_source(), the texts are cells read by ZipingSupport.UiText.
'
' RunPython shows xlwings' own English message and never raises when Python, xlwings or
' our package is missing, so before the first RunPython of a session ZipingSupport checks
' the configured Python and explains any lack in Chinese, with the fix.

' The xlwings VBA module of this workbook loads the xlwings DLL of this version; Python
' compares it with its own xlwings in the self-check.
Private Const XLWINGS_DLL_VERSION As String = "{xlwings_version}"

Public Sub OnZipingAction(control As IRibbonControl)
    RunButton control.Id, False
End Sub

Public Sub OnZipingSelfCheck(control As IRibbonControl)
    RunButton control.Id, True
End Sub

Private Sub RunButton(ByVal controlId As String, ByVal selfCheck As Boolean)
    Dim interpreter As String, problem As String, codes As String, result As Variant
    On Error GoTo failed
    interpreter = ConfiguredInterpreter()
    If selfCheck Then
        If Not UsesConda(interpreter) Then
            codes = ProbeCodes(interpreter)
            If FirstFailure(codes) <> "" Then
                MsgBox SelfCheckReport(interpreter, codes), vbExclamation, UiText("title")
                Exit Sub
            End If
        End If
    Else
        problem = PreflightProblem(interpreter)
        If problem <> "" Then
            MsgBox ProblemMessage(problem, interpreter), vbCritical, UiText("title")
            Exit Sub
        End If
    End If
    result = RunPython("import addin.ribbon_actions as r; r.on_action('" & controlId & "', '" _
        & XLWINGS_DLL_VERSION & "')")
    ' RunPython gives -1 after showing its English error; nothing (Empty) when Python ran.
    If Not IsEmpty(result) Then
        If result = -1 Then MsgBox Filled(UiText("button.failed"), interpreter), vbCritical, UiText("title")
    End If
    Exit Sub
failed:
    ' Raised before any Python runs: the UDF server or xlwings' DLL could not be loaded.
    MsgBox Replace(Filled(UiText("server.failed"), interpreter), "{error}", Err.Description), _
        vbCritical, UiText("title")
End Sub

' Pure-VBA self-test: LibreOffice evaluates it in CI to prove the VBA project runs.
Public Function ZIPING_VBA_VERSION() As String
    ZIPING_VBA_VERSION = "{version}"
End Function
