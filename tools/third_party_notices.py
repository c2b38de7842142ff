"""Write THIRD-PARTY-NOTICES.txt: every component the bundle ships, with its licence.

    python tools/third_party_notices.py [--out FILE]

Read from the installed distributions' own metadata (the closure of pyproject's
dependencies in this environment, markers evaluated here), plus the Python runtime, Qt
(shipped by PySide6 under the LGPL: its text is in installer/licenses/), the bundled
fonts (OFL, app/resources/fonts/OFL.txt) and, when the PyInstaller spec passes them, the
system libraries copied from the build machine (their Debian package and licence names).
installer/taizhang.spec calls `write_notices` at every build, so the file matches what
was bundled; nothing here is typed in by hand except the Qt note.
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
RULE = "=" * 78
QT_NOTE = (
    "PySide6 and shiboken6 ship the Qt 6 libraries (Qt Core, Gui, Widgets, Svg, DBus,\n"
    "PrintSupport, the xcb/offscreen/windows platform plug-ins) under the GNU Lesser General\n"
    "Public License v3 (LGPL-3.0-only; texts of LGPL-3.0 and GPL-3.0 below). They are\n"
    "shipped as separate shared libraries (DLLs) in the program folder and can be replaced\n"
    "with compatible builds. Qt source: https://download.qt.io/official_releases/qt/ ;\n"
    "PySide6 source: https://code.qt.io/cgit/pyside/pyside-setup.git/")


def dependency_closure(roots: Iterable[str]) -> list[md.Distribution]:
    """The installed distributions the given requirement strings pull in (no extras)."""
    env = default_environment()
    seen: dict[str, md.Distribution] = {}
    todo = [Requirement(r) for r in roots]
    while todo:
        req = todo.pop()
        if req.marker is not None and not req.marker.evaluate({**env, "extra": ""}):
            continue
        key = canonicalize_name(req.name)
        if key in seen:
            continue
        try:
            dist = md.distribution(req.name)
        except md.PackageNotFoundError:
            continue
        seen[key] = dist
        todo += [Requirement(r) for r in dist.requires or []]
    return sorted(seen.values(), key=lambda d: canonicalize_name(d.metadata["Name"]))


def licence_name(dist: md.Distribution) -> str:
    meta = dist.metadata
    if meta.get("License-Expression"):
        return str(meta["License-Expression"])
    text = (meta.get("License") or "").strip()
    if text and len(text) <= 80 and "\n" not in text:
        return text
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or []
                   if c.startswith("License ::")]
    return "; ".join(classifiers) or "see the licence text below"


def licence_files(dist: md.Distribution) -> list[tuple[str, str]]:
    out = []
    for f in dist.files or []:
        name = f.name.upper()
        in_metadata = ".dist-info" in str(f) and (
            "LICEN" in name or "COPYING" in name or name.startswith("NOTICE") or name == "AUTHORS")
        if in_metadata or ("mpl-data/fonts" in str(f) and name.startswith("LICENSE_")):
            path = Path(str(f.locate()))
            if path.is_file():
                out.append((str(f), path.read_text("utf-8", errors="replace").strip()))
    return out


def debian_package(path: str) -> tuple[str, str, str] | None:
    """(package, version, licence names) of a system library, from dpkg's records."""
    try:
        owner = subprocess.run(["dpkg", "-S", str(Path(path).resolve())], capture_output=True,
                               text=True, check=True).stdout.split(":")[0]
        version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", owner],
                                 capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    copyright_file = Path("/usr/share/doc") / owner.split(":")[0] / "copyright"
    names: list[str] = []
    if copyright_file.is_file():
        for m in re.finditer(r"^License:\s*(\S.*)$", copyright_file.read_text("utf-8", "replace"),
                             re.MULTILINE):
            if m.group(1).strip() not in names:
                names.append(m.group(1).strip())
    return owner, version, ", ".join(names) or f"see {copyright_file}"


def notices(system_libraries: Iterable[tuple[str, str]] = ()) -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    dists = dependency_closure(project["dependencies"])
    parts = [
        "台账 Taizhang — third-party notices",
        "",
        "Taizhang itself is under the MIT License (LICENSE). The program folder also contains",
        "the components below, each under its own licence.",
        "",
        RULE,
        "Summary",
        RULE,
        f"Python {sys.version.split()[0]}  —  PSF-2.0 (Python Software Foundation License)",
    ]
    for d in dists:
        parts.append(f"{d.metadata['Name']} {d.version}  —  {licence_name(d)}")
    parts.append("Taizhang Sans SC, Taizhang Serif SC (subsets of Noto Sans/Serif CJK SC)  —  OFL-1.1")
    libs = []
    for dest, src in sorted(set(system_libraries)):
        found = debian_package(src)
        if found:
            libs.append(f"{dest}: Debian package {found[0]} {found[1]}  —  {found[2]}")
        else:
            libs.append(f"{dest}: from the build system ({src})")
    if libs:
        parts += ["", "System libraries copied from the build machine:", *libs]
    parts += ["", RULE, "Qt (PySide6, shiboken6)", RULE, QT_NOTE]
    python_licence = Path(sys.base_prefix) / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "LICENSE.txt"
    if not python_licence.is_file():
        python_licence = Path(sys.base_prefix) / "LICENSE.txt"  # Windows layout
    if python_licence.is_file():
        parts += ["", RULE, f"Python {sys.version.split()[0]}", RULE,
                  python_licence.read_text("utf-8", errors="replace").strip()]
    for d in dists:
        files = licence_files(d)
        parts += ["", RULE, f"{d.metadata['Name']} {d.version} — {licence_name(d)}", RULE]
        if not files:
            parts.append("(no licence file in the distribution; licence as named above)")
        for name, text in files:
            parts += [f"--- {name}", text]
    parts += ["", RULE, "Fonts: app/resources/fonts/OFL.txt", RULE,
              (ROOT / "app" / "resources" / "fonts" / "OFL.txt").read_text("utf-8").strip()]
    for name in ("LGPL-3.0.txt", "GPL-3.0.txt"):
        parts += ["", RULE, name.removesuffix(".txt"), RULE,
                  (ROOT / "installer" / "licenses" / name).read_text("utf-8").strip()]
    return "\n".join(parts) + "\n"


def write_notices(out: Path, system_libraries: Iterable[tuple[str, str]] = ()) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(notices(system_libraries), encoding="utf-8")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "THIRD-PARTY-NOTICES.txt")
    args = parser.parse_args()
    path = write_notices(args.out)
    print(f"{path}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
