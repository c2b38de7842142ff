#!/usr/bin/env bash
# Package dist/taizhang (made by installer/build.sh) as a .deb for Debian/Ubuntu/UOS/Kylin:
#   /opt/taizhang/              the program folder
#   /usr/bin/taizhang, taizhang-cli   links to the one launcher
#   /usr/share/applications/taizhang.desktop, /usr/share/icons/hicolor/256x256/apps/taizhang.png
# Depends: the system libraries the bundle loads but does not carry (libc, OpenGL/EGL,
# xcb-cursor…), found from the bundle's own ELF records and mapped to their Debian
# packages with dpkg; libcups2 is recommended (printing). Prints the Depends it declared.
set -euo pipefail
cd "$(dirname "$0")/../.."
DIST=dist/taizhang
[ -x "$DIST/taizhang" ] || { echo "build_deb.sh: run installer/build.sh first" >&2; exit 1; }
VERSION=$("$DIST/taizhang-cli" --version | awk '{print $2}')
ARCH=$(dpkg --print-architecture)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
  "$root/usr/share/icons/hicolor/256x256/apps" "$root/usr/share/doc/taizhang" "$root/DEBIAN"
cp -a "$DIST" "$root/opt/taizhang"
rm -f "$root/opt/taizhang/install.sh" "$root/opt/taizhang/uninstall.sh"  # per-user only
ln -s /opt/taizhang/taizhang "$root/usr/bin/taizhang"
ln -s /opt/taizhang/taizhang "$root/usr/bin/taizhang-cli"
sed 's|@EXEC@|/opt/taizhang/taizhang|' installer/linux/taizhang.desktop \
  > "$root/usr/share/applications/taizhang.desktop"
cp app/resources/icons/taizhang.png "$root/usr/share/icons/hicolor/256x256/apps/"
cp LICENSE "$root/usr/share/doc/taizhang/copyright"

# The libraries that files in the bundle need and that are not in the bundle.
bundled=$(find "$DIST" -name '*.so*' -printf '%f\n' | sort -u)
needed=$(find "$DIST" -type f \( -name '*.so*' -o -name taizhang \) -exec objdump -p {} + 2>/dev/null \
  | awk '/NEEDED/ {print $2}' | sort -u)
packages=""
for lib in $needed; do
  grep -qxF "$lib" <<<"$bundled" && continue
  # (no early exit in these pipelines: with pipefail a writer killed by SIGPIPE fails them)
  path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64|x86_64|aarch64/ && !p {print $NF; p=1}')
  [ -n "$path" ] || { echo "build_deb.sh: $lib not found on this system" >&2; exit 1; }
  pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | awk -F: 'NR == 1 {print $1}') || true
  [ -n "$pkg" ] || pkg=$(dpkg -S "$path" | awk -F: 'NR == 1 {print $1}')
  packages="$packages $pkg"
done
glibc=$(find "$DIST" -type f \( -name '*.so*' -o -name taizhang \) -exec objdump -T {} + 2>/dev/null \
  | grep -o 'GLIBC_[0-9][0-9.]*' | sort -uV | tail -1 | sed 's/GLIBC_//')
# libcups2 only serves the print plug-in (the program runs without it): recommended below.
depends=$(for p in $packages; do
            case "$p" in
              libc6) echo "libc6 (>= $glibc)" ;;
              libcups2) ;;
              *) echo "$p" ;;
            esac
          done | sort -u | paste -sd, | sed 's/,/, /g')
size=$(du -sk "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: taizhang
Version: $VERSION
Architecture: $ARCH
Maintainer: Taizhang contributors <taizhang@users.noreply.invalid>
Installed-Size: $size
Depends: $depends
Recommends: libcups2
Section: misc
Priority: optional
Description: 台账 offline task-progress reporting
 A desktop program for district offices and the towns, streets and departments
 that report to them: issue Excel packets per unit and period, fill them in the
 program or in WPS/Excel, merge the returned packets, print the 进展情况通报.
 Self-contained (Python, Qt and the libraries it needs are in /opt/taizhang).
CONTROL
cat > "$root/DEBIAN/postinst" <<'SCRIPT'
#!/bin/sh
set -e
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q /usr/share/icons/hicolor || true
exit 0
SCRIPT
cp "$root/DEBIAN/postinst" "$root/DEBIAN/postrm"
chmod 755 "$root/DEBIAN/postinst" "$root/DEBIAN/postrm"
out="dist/taizhang_${VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group -Zxz -z3 --build "$root" "$out" >/dev/null
echo "Depends: $depends"
echo "built $out ($(( $(stat -c %s "$out") / 1048576 )) MB)"
