"""Start, connect to and always kill a private headless LibreOffice (shared by the UNO scripts).

Runs ONLY under Debian's ``/usr/bin/python3`` (the one Python that can import ``uno``);
``uno_probe.py`` and ``uno_fill.py`` import it as a sibling module.

Why one place: every script needs the same private profile (so no user setting can leak
in), the same pipe connection and the same guarantee that soffice and its children die
with the script, also on a timeout (a stuck soffice would otherwise outlive CI).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import uno  # also registers the ``com.sun.star`` import hook used below
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

# Profile settings written before the first start of a private profile:
# macro security "low", and VBA import with executable code (LibreOffice's
# defaults, pinned so a distribution's changed defaults cannot hide our VBA).
# What actually decides whether cells may call VBA is MacroExecutionMode at
# load time: with NEVER_EXECUTE, =ZIPING_VBA_VERSION() gives #VALUE! (519).
_BASE_ITEMS = """\
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Filter/Import/VBA"><prop oor:name="Load" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Filter/Import/VBA"><prop oor:name="Executable" oor:op="fuse"><value>true</value></prop></item>
"""

# The locale decides how typed text is recognised ("2023/5/20" is a date, "97.3%" a
# percentage) and which codes the built-in number formats get; our users run zh-CN.
_LOCALE_ITEMS = """\
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>{locale}</value></prop></item>
"""

ALWAYS_EXECUTE_NO_WARN = 4  # com.sun.star.document.MacroExecMode


def registry_modifications(locale: str | None = None) -> str:
    """The registrymodifications.xcu of a fresh private profile (``locale`` like "zh-CN")."""
    items = _BASE_ITEMS + (_LOCALE_ITEMS.format(locale=locale) if locale else "")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<oor:items xmlns:oor="http://openoffice.org/2001/registry"\n'
            '           xmlns:xs="http://www.w3.org/2001/XMLSchema"\n'
            '           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
            f"{items}</oor:items>\n")


def props(**kwargs) -> tuple:
    """Keyword arguments as the tuple of PropertyValue that UNO calls take."""
    values = []
    for name, value in kwargs.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        values.append(prop)
    return tuple(values)


def start_office(profile: Path, pipe: str, locale: str | None = None) -> subprocess.Popen:
    """Start soffice on a fresh profile, in its own process group (so it can be killed whole)."""
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(registry_modifications(locale),
                                                     encoding="utf-8")
    cmd = [
        shutil.which("soffice") or "soffice",
        "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
        "--nolockcheck",
        f"-env:UserInstallation={profile.as_uri()}",
        f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
    ]
    return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def connect(pipe: str, proc: subprocess.Popen, deadline: float):
    """The office's component context, retrying until soffice listens (or dies, or time is up)."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    url = f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
    while True:
        try:
            return resolver.resolve(url)
        except NoConnectException:
            if proc.poll() is not None:
                raise RuntimeError(f"soffice exited early with code {proc.returncode}")
            if time.monotonic() > deadline:
                raise TimeoutError("soffice did not accept a connection in time")
            time.sleep(0.25)


def kill(proc: subprocess.Popen) -> None:
    """Kill soffice and its children (its own process group)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, 15)
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, 9)
            except ProcessLookupError:
                pass
            proc.wait()


@contextmanager
def office(timeout: float, locale: str | None = None) -> Iterator[tuple[object, object, Path]]:
    """Yield ``(ctx, desktop, work_dir)`` of one private soffice; kill it on exit or timeout.

    The watchdog kills soffice and ends this process with exit code 3 when ``timeout``
    seconds pass, so a hung office can never hang the caller.
    """
    work = Path(tempfile.mkdtemp(prefix="ziping-lo-"))
    pipe = f"ziping_{uuid.uuid4().hex}"
    proc = start_office(work / "profile", pipe, locale)
    watchdog = threading.Timer(timeout, lambda: (kill(proc), os._exit(3)))
    watchdog.daemon = True
    watchdog.start()
    try:
        ctx = connect(pipe, proc, time.monotonic() + timeout)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        yield ctx, desktop, work
        try:
            desktop.terminate()
        except Exception:  # the bridge dies with soffice; kill() below tidies up
            pass
    finally:
        watchdog.cancel()
        kill(proc)
        shutil.rmtree(work, ignore_errors=True)
        for socket in Path(tempfile.gettempdir()).glob(f"OSL_PIPE_*_{pipe}"):  # the named pipe soffice leaves
            socket.unlink(missing_ok=True)


def load_copy(desktop, path: Path, work: Path, index: int):
    """Load a private copy of ``path`` (hidden, macros allowed); the original stays untouched.

    A stale "~lock" file beside the original would make loadComponentFromURL return None.
    """
    copy = work / f"input{index}{path.suffix}"
    shutil.copyfile(path, copy)
    doc = desktop.loadComponentFromURL(
        copy.as_uri(), "_blank", 0,
        props(Hidden=True, MacroExecutionMode=ALWAYS_EXECUTE_NO_WARN))
    if doc is None:
        raise RuntimeError(f"LibreOffice could not load {path}")
    return doc
