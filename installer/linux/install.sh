#!/bin/sh
# Install 台账 for the current user only (no root): the program into
# ~/.local/opt/taizhang, a menu entry and icon into ~/.local/share, `taizhang` and
# `taizhang-cli` into ~/.local/bin. Run from the unpacked folder:  ./install.sh
# Remove with ~/.local/opt/taizhang/uninstall.sh (your databases are kept).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
dest=$HOME/.local/opt/taizhang
bin=$HOME/.local/bin

if [ ! -x "$here/taizhang" ] || [ ! -d "$here/_internal" ]; then
  echo "install.sh: run it from the unpacked taizhang folder" >&2
  exit 1
fi
if [ "$here" = "$dest" ]; then
  echo "install.sh: already installed in $dest" >&2
  exit 1
fi
mkdir -p "$HOME/.local/opt" "$bin" "$data/applications" "$data/icons/hicolor/256x256/apps"
# Copy beside the old version, then swap: an interrupted install leaves the old one whole.
rm -rf "$dest.new"
cp -R "$here" "$dest.new"
rm -rf "$dest.old"
[ -e "$dest" ] && mv "$dest" "$dest.old"
mv "$dest.new" "$dest"
rm -rf "$dest.old"

ln -sfn "$dest/taizhang" "$bin/taizhang"
ln -sfn "$dest/taizhang" "$bin/taizhang-cli"
cp "$dest/_internal/app/resources/icons/taizhang.png" "$data/icons/hicolor/256x256/apps/taizhang.png"
sed "s|@EXEC@|\"$dest/taizhang\"|" "$dest/_internal/taizhang.desktop" \
  > "$data/applications/taizhang.desktop"
chmod 644 "$data/applications/taizhang.desktop"
command -v update-desktop-database >/dev/null 2>&1 && \
  update-desktop-database -q "$data/applications" 2>/dev/null || true
# (no gtk-update-icon-cache here: a cache file in the user's own icon folder would hide
# icons that other programs add there later; desktops read that folder without one)

echo "已安装到 $dest"
echo "  菜单:办公 › 台账;命令:$bin/taizhang(图形界面)、$bin/taizhang-cli(命令行)"
echo "  检查安装:$bin/taizhang-cli --self-test"
echo "  卸载:$dest/uninstall.sh(数据库保留在 ~/.local/share/Taizhang)"
