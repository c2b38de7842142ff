"""Open a packet in LibreOffice (through UNO) and report what a clerk would meet.

Run with the system Python that has LibreOffice's ``uno`` module, not the venv:

    /usr/bin/python3 tools/check_packet_lo.py PACKET.xlsx [--fill OUT.xlsx]

Prints one JSON object: per visible data sheet whether it is protected, which cells of the
first data row are locked, the validation type and list source of each cell, and whether
typing into an input cell through the UI dispatcher works on the protected sheet. With
``--fill`` it also types a first task row (status, "60%", texts, phone, date) and saves
the workbook as .xlsx to OUT, as a clerk without Taizhang would.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def _prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


FILL = {"$G$3": "推进中", "$H$3": "60%", "$I$3": "在 LibreOffice 里填写:完成 3 家",
        "$J$3": "=资金未到位", "$M$3": "13800000000", "$N$3": "2021-06-30"}


def main(path: str, fill_out: str | None = None) -> int:
    profile = tempfile.mkdtemp(prefix="lo-uno-")
    pipe = f"tzcheck{os.getpid()}"
    proc = subprocess.Popen(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                             "--invisible", "--norestore", f"--accept=pipe,name={pipe};urp;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(120):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.5)
        if ctx is None:
            print(json.dumps({"error": "LibreOffice did not start"}))
            return 1
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        # LibreOffice started this way fails to load non-ASCII paths: use an ASCII copy
        copy = Path(profile) / "packet.xlsx"
        shutil.copyfile(path, copy)
        url = uno.systemPathToFileUrl(str(copy))
        doc = desktop.loadComponentFromURL(url, "_blank", 0, (_prop("Hidden", True),))
        if doc is None:
            print(json.dumps({"error": "LibreOffice could not open the file"}))
            return 1
        out: dict[str, object] = {"sheets": {}, "named_ranges": list(doc.NamedRanges.ElementNames)}
        for name in doc.Sheets.ElementNames:
            sheet = doc.Sheets.getByName(name)
            info: dict[str, object] = {"visible": sheet.IsVisible, "protected": sheet.isProtected()}
            if name in ("任务进展", "指标填报"):
                header = [sheet.getCellByPosition(c, 1).String for c in range(16)]
                cells = {}
                for c, title in enumerate(header):
                    if not title:
                        continue
                    cell = sheet.getCellByPosition(c, 2)
                    v = cell.Validation
                    cells[title] = {"locked": cell.CellProtection.IsLocked,
                                    "validation": v.Type.value, "source": v.getFormula1(),
                                    "dropdown": v.ShowList != 0}
                info["row3"] = cells
                # typing through the UI (as a person would) into an input cell of the
                # protected sheet works; a locked cell would raise LibreOffice's
                # "protected cell" dialog, which headless mode cannot show
                controller = doc.getCurrentController()
                controller.setActiveSheet(sheet)
                dispatcher = ctx.ServiceManager.createInstanceWithContext(
                    "com.sun.star.frame.DispatchHelper", ctx)
                frame = controller.getFrame()
                dispatcher.executeDispatch(frame, ".uno:GoToCell", "", 0,
                                           (_prop("ToPoint", "$I$3"),))
                dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0,
                                           (_prop("StringName", "本月完成"),))
                info["input_cell_typed"] = sheet.getCellByPosition(8, 2).String == "本月完成"
            out["sheets"][name] = info  # type: ignore[index]
        if fill_out:
            # fill the first task row the way a clerk would, then save as .xlsx
            sheet = doc.Sheets.getByName("任务进展")
            controller = doc.getCurrentController()
            controller.setActiveSheet(sheet)
            frame = controller.getFrame()
            dispatcher = ctx.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.DispatchHelper", ctx)
            for ref, text in FILL.items():
                dispatcher.executeDispatch(frame, ".uno:GoToCell", "", 0, (_prop("ToPoint", ref),))
                dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0,
                                           (_prop("StringName", text),))
            saved = Path(profile) / "filled.xlsx"
            doc.storeToURL(uno.systemPathToFileUrl(str(saved)),
                           (_prop("FilterName", "Calc MS Excel 2007 XML"),))
            shutil.copyfile(saved, fill_out)
            out["filled"] = fill_out
        print(json.dumps(out, ensure_ascii=False, indent=1))
        # LibreOffice 7.4 may drop the bridge as its last document closes
        with contextlib.suppress(Exception):
            doc.close(True)
        return 0
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--fill"
                  else None))
