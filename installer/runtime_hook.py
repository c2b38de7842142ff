"""PyInstaller run-time hook, run before PyInstaller's own (pyside6, matplotlib).

Those hooks point QT_PLUGIN_PATH, QML2_IMPORT_PATH and MPLCONFIGDIR into the bundle or a
fresh temporary folder, and the bootloader puts the bundle on LD_LIBRARY_PATH. Remember
the user's own values here, so that app.launcher can give them back to the programs the
application starts (the file manager of 打开所在文件夹, the mail client, a PDF viewer).
"""

import os

for _name in ("QT_PLUGIN_PATH", "QML2_IMPORT_PATH", "MPLCONFIGDIR"):
    _value = os.environ.get(_name)
    os.environ["TAIZHANG_ORIG_" + _name] = "\x01" if _value is None else _value
