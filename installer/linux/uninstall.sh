#!/bin/sh
# Remove what install.sh put in place. The databases, settings and logs the program made
# (~/.local/share/Taizhang, ~/.config/Taizhang, ~/.cache/Taizhang, ~/.local/state/Taizhang)
# are kept: they are the user's work.
set -eu
data=${XDG_DATA_HOME:-$HOME/.local/share}
dest=$HOME/.local/opt/taizhang
bin=$HOME/.local/bin
for link in "$bin/taizhang" "$bin/taizhang-cli"; do
  # only our own links, never a file of the same name that is something else
  if [ -L "$link" ] && [ "$(readlink "$link")" = "$dest/taizhang" ]; then rm -f "$link"; fi
done
rm -f "$data/applications/taizhang.desktop" "$data/icons/hicolor/256x256/apps/taizhang.png"
command -v update-desktop-database >/dev/null 2>&1 && \
  update-desktop-database -q "$data/applications" 2>/dev/null || true
rm -rf "$dest"
echo "已卸载台账(数据库保留在 $data/Taizhang)"
