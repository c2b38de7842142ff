#!/usr/bin/env bash
# Install the built program both ways, self-test it through what was installed, uninstall,
# and check that nothing is left behind:
#   1. the archive's install.sh into a temporary HOME (no root), started through the
#      ~/.local/bin launcher and through the Exec line of the installed .desktop entry;
#   2. the .deb with dpkg -i / dpkg -r (needs root; skipped with a note otherwise).
# Run after installer/build.sh (and installer/deb/build_deb.sh for part 2).
set -euo pipefail
cd "$(dirname "$0")/.."
archive=$(ls -t dist/taizhang-*-linux-*.tar.zst | awk 'NR == 1')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
home="$work/home"
mkdir -p "$home" "$work/unpacked"

echo "== per-user install from $archive"
zstd -dc "$archive" | tar -C "$work/unpacked" -xf -
env -i HOME="$home" PATH=/usr/bin:/bin sh "$work/unpacked/taizhang/install.sh"
desktop="$home/.local/share/applications/taizhang.desktop"
for f in "$home/.local/opt/taizhang/taizhang" "$home/.local/bin/taizhang" \
         "$home/.local/bin/taizhang-cli" "$desktop" \
         "$home/.local/share/icons/hicolor/256x256/apps/taizhang.png"; do
  [ -e "$f" ] || { echo "missing after install: $f" >&2; exit 1; }
done
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$desktop"; fi
exec_line=$(sed -n 's/^Exec=//p' "$desktop")
exec_path=$(eval "printf '%s' $exec_line")
[ "$exec_path" = "$home/.local/opt/taizhang/taizhang" ] || { echo "Exec=$exec_line" >&2; exit 1; }
env -i HOME="$home" "$home/.local/bin/taizhang-cli" --self-test
env -i HOME="$home" "$exec_path" --version
# a second install over the first (an upgrade) keeps working
env -i HOME="$home" PATH=/usr/bin:/bin sh "$work/unpacked/taizhang/install.sh" >/dev/null
env -i HOME="$home" "$home/.local/bin/taizhang-cli" --version
mkdir -p "$home/.local/share/Taizhang" && echo keep > "$home/.local/share/Taizhang/mine.db"
env -i HOME="$home" PATH=/usr/bin:/bin sh "$home/.local/opt/taizhang/uninstall.sh"
left=$(cd "$home" && find . -mindepth 1 \( -type f -o -type l \) | grep -v '^./.local/share/Taizhang/' \
  | grep -v '^./.cache/Taizhang/' | grep -v '^./.config/' | grep -v '^./.local/state/' | grep -v 'mimeinfo.cache' || true)
[ -z "$left" ] || { echo "left after uninstall:" >&2; echo "$left" >&2; exit 1; }
[ -f "$home/.local/share/Taizhang/mine.db" ] || { echo "uninstall removed user data" >&2; exit 1; }
echo "per-user install, self-test, upgrade, uninstall: ok"

deb=$(ls -t dist/taizhang_*.deb 2>/dev/null | awk 'NR == 1' || true)
if [ -z "$deb" ]; then echo "no .deb in dist/ (installer/deb/build_deb.sh): skipped"; exit 0; fi
if [ "$(id -u)" -ne 0 ]; then echo "dpkg -i needs root: .deb part skipped"; exit 0; fi
echo "== $deb"
if dpkg -s taizhang >/dev/null 2>&1; then echo "taizhang is already installed system-wide: .deb part skipped"; exit 0; fi
dpkg -i "$deb"
home2="$work/home2"; mkdir -p "$home2"
env -i HOME="$home2" PATH=/usr/bin:/bin taizhang-cli --self-test
[ -f /usr/share/applications/taizhang.desktop ]
dpkg -r taizhang
for f in /opt/taizhang /usr/bin/taizhang /usr/bin/taizhang-cli /usr/share/applications/taizhang.desktop \
         /usr/share/icons/hicolor/256x256/apps/taizhang.png; do
  [ ! -e "$f" ] || { echo "left after dpkg -r: $f" >&2; exit 1; }
done
echo ".deb install, self-test, remove: ok"
