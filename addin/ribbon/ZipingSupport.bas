Attribute VB_Name = "ZipingSupport"
Option Explicit
Option Private Module

' Helpers of the ribbon callbacks and the function help. Option Private Module: no
' worksheet formula can use them and the macro list does not show them.
'
' ASCII only. Every text a user reads is a cell of the very-hidden sheet {text_sheet}
' (key in column A, text in column B), written by the template builder from
' the Python package (addin.envcheck, addin.template.ui_texts); UiText looks it up by key.
'
' The checks mirror addin.envcheck, which ziping doctor runs from a
' terminal: same order, same statements, same codes string ("0" passed, "-" skipped,
' else the exit code).

Private Const NOT_STARTED As Long = {not_started}
Private Const CHECK_KEYS As String = "{check_keys}"
Private Const PREFLIGHT_STATEMENT As String = "{preflight_statement}"
Private Const DLL_NAMES As String = "{dll_names}"

Private preflightPassed As Boolean

Public Function UiText(ByVal key As String) As String
    ' The text stored under key; the key itself when there is none (never an empty box).
    Dim values As Variant, row As Long
    values = {text_sheet}.UsedRange.Value
    For row = LBound(values, 1) To UBound(values, 1)
        If CStr(values(row, 1)) = key Then
            UiText = CStr(values(row, 2))
            Exit Function
        End If
    Next row
    UiText = key
End Function

Public Function ConsolePython(ByVal interpreter As String) As String
    ' pip shows its progress only in a console: name python.exe beside pythonw.exe.
    If interpreter = "pythonw" Then
        ConsolePython = "python"
    ElseIf LCase$(Right$(interpreter, 11)) = "pythonw.exe" Then
        ConsolePython = Left$(interpreter, Len(interpreter) - 5) & Right$(interpreter, 4)
    Else
        ConsolePython = interpreter
    End If
End Function

Public Function Filled(ByVal template As String, ByVal interpreter As String) As String
    Filled = Replace(Replace(template, "{interpreter}", interpreter), "{python}", ConsolePython(interpreter))
End Function

Public Function CommandLine(ByVal interpreter As String, ByVal statement As String) As String
    CommandLine = """" & interpreter & """ -c """ & statement & """"
End Function

Public Function ProbeStatement(ByVal key As String) As String
    ' The Python statement of a check; "" for the checks made without a process.
    Select Case key
{probe_cases}
    End Select
End Function

Public Function FirstFailure(ByVal codes As String) As String
    ' Key of the first failed check in a codes string; "" when none failed.
    Dim keys() As String, results() As String, i As Long
    keys = Split(CHECK_KEYS, ",")
    results = Split(codes, ",")
    For i = 0 To UBound(keys)
        If i > UBound(results) Then Exit Function
        If results(i) <> "0" And results(i) <> "-" Then
            FirstFailure = keys(i)
            Exit Function
        End If
    Next i
End Function

Public Function ProblemMessage(ByVal key As String, ByVal interpreter As String) As String
    ProblemMessage = Filled(UiText("problem." & key), interpreter) & vbLf & vbLf _
        & Filled(UiText("problem.footer"), interpreter)
End Function

Public Function SelfCheckReport(ByVal interpreter As String, ByVal codes As String) As String
    ' One line per check, then what is wrong with the first failed one and how to fix it.
    Dim keys() As String, results() As String, i As Long, status As String, report As String
    keys = Split(CHECK_KEYS, ",")
    results = Split(codes, ",")
    report = Filled(UiText("report.header"), interpreter)
    For i = 0 To UBound(keys)
        If i > UBound(results) Then
            status = UiText("status.skipped")
        ElseIf results(i) = "0" Then
            status = UiText("status.ok")
        ElseIf results(i) = "-" Then
            status = UiText("status.skipped")
        Else
            status = UiText("status.failed")
        End If
        report = report & vbLf & Replace(Replace(UiText("report.line"), "{label}", UiText("label." & keys(i))), _
            "{status}", status)
    Next i
    If FirstFailure(codes) <> "" Then report = report & vbLf & vbLf & ProblemMessage(FirstFailure(codes), interpreter)
    SelfCheckReport = report
End Function

Public Function ConfiguredInterpreter() As String
    ' The interpreter xlwings starts (XLPyCommand): Interpreter_Win, the legacy key, pythonw.
    Dim configured As String
    configured = GetConfig("INTERPRETER_WIN", "")
    If configured = "" Then configured = GetConfig("INTERPRETER", "pythonw")
    ConfiguredInterpreter = configured
End Function

Public Function UsesConda(ByVal interpreter As String) As Boolean
    ' xlwings then activates a conda env first, which these checks cannot repeat.
    UsesConda = (interpreter = "python" Or interpreter = "pythonw") _
        And GetConfig("CONDA PATH") <> "" And GetConfig("CONDA ENV") <> ""
End Function

Private Function IsBare(ByVal interpreter As String) As Boolean
    ' xlwings looks these two names up on PATH; anything else is a file path.
    IsBare = (interpreter = "python" Or interpreter = "pythonw")
End Function

Private Function InterpreterFound(ByVal interpreter As String) As Boolean
    If IsBare(interpreter) Then
        InterpreterFound = True
    Else
        InterpreterFound = FileExists(interpreter)
    End If
End Function

Private Function DllFound(ByVal interpreter As String) As Boolean
    ' Where xlwings' XLPyLoadDLL looks: beside python(w).exe, or one folder up (virtualenv).
    ' A bare name is found on PATH.
    Dim folder As String, names() As String, level As Long, i As Long
    If IsBare(interpreter) Then
        DllFound = True
        Exit Function
    End If
    names = Split(DLL_NAMES, ",")
    folder = interpreter
    For level = 1 To 2
        If InStrRev(folder, "\") < 2 Then Exit Function
        folder = Left$(folder, InStrRev(folder, "\") - 1)
        For i = 0 To UBound(names)
            If FileExists(folder & "\" & names(i)) Then
                DllFound = True
                Exit Function
            End If
        Next i
    Next level
End Function

Public Function ProbeCodes(ByVal interpreter As String) As String
    ' Every check, in order; without an interpreter or a Python that starts the rest are skipped.
    Dim keys() As String, i As Long, code As String, codes As String, blocked As Boolean
    keys = Split(CHECK_KEYS, ",")
    For i = 0 To UBound(keys)
        If blocked Then
            code = "-"
        ElseIf keys(i) = "interpreter" Then
            code = IIf(InterpreterFound(interpreter), "0", "1")
        ElseIf keys(i) = "dll" Then
            code = IIf(DllFound(interpreter), "0", "1")
        Else
            code = CStr(RunProbe(CommandLine(interpreter, ProbeStatement(keys(i)))))
        End If
        If (keys(i) = "interpreter" Or keys(i) = "python") And code <> "0" Then blocked = True
        If i > 0 Then codes = codes & ","
        codes = codes & code
    Next i
    ProbeCodes = codes
End Function

Public Function PreflightProblem(ByVal interpreter As String) As String
    ' "" when the configured Python imports xlwings and our package (checked once per
    ' session with one process); else the key of the first check that fails.
    Dim problem As String
    If preflightPassed Or UsesConda(interpreter) Then Exit Function
    If InterpreterFound(interpreter) Then
        If DllFound(interpreter) Then
            If RunProbe(CommandLine(interpreter, PREFLIGHT_STATEMENT)) = 0 Then
                preflightPassed = True
                Exit Function
            End If
        End If
    End If
    problem = FirstFailure(ProbeCodes(interpreter))
    If problem = "" Then problem = "imports_together"
    PreflightProblem = problem
End Function

Private Function RunProbe(ByVal commandText As String) As Long
    ' The one place this project starts a process: the configured Python with -c, its
    ' window hidden (0), waiting for the exit code (True). Run raises when the program
    ' cannot be started; that is NOT_STARTED, like cmd.exe's answer for an unknown program.
    On Error GoTo notStarted
    RunProbe = CreateObject("WScript.Shell").Run(commandText, 0, True)
    Exit Function
notStarted:
    RunProbe = NOT_STARTED
End Function

Public Sub RegisterFunctionHelp()
    ' Function-wizard texts. Excel does not keep argument descriptions in the file, so the
    ' workbook registers them when it opens; MacroOptions marks the workbook changed, so
    ' the Saved flag is restored. Errors (a protected workbook) leave the help unregistered.
    Dim wasSaved As Boolean
    wasSaved = ThisWorkbook.Saved
    On Error Resume Next
{udf_help}
    ThisWorkbook.Saved = wasSaved
End Sub

Private Sub DescribeFunction(ByVal functionName As String, ByVal argNames As String)
    ' Qualified with this workbook: with two workbooks of the template opened, each
    ' registers its own functions.
    Dim args() As String, descriptions() As Variant, i As Long
    args = Split(argNames, " ")
    ReDim descriptions(0 To UBound(args))
    For i = 0 To UBound(args)
        descriptions(i) = UiText("arg." & functionName & "." & args(i))
    Next i
    Application.MacroOptions Macro:="'" & Replace(ThisWorkbook.Name, "'", "''") & "'!" & functionName, _
        Description:=UiText("help." & functionName), Category:=UiText("category." & functionName), _
        ArgumentDescriptions:=descriptions
End Sub
