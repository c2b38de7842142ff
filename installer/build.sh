#!/usr/bin/env bash
# Build the one-folder application into dist/taizhang/, slim it, self-test it in an empty
# environment and pack it for mail/USB (installer/README.md has the figures and the cuts).
#
#   bash installer/build.sh                 # uses .venv (scripts/setup.sh), adds [build]
#   TAIZHANG_VENV=/path/to/venv bash installer/build.sh   # an existing venv with PyInstaller
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${TAIZHANG_VENV:-}" ]; then
  bash scripts/setup.sh
  .venv/bin/python -m pip install --quiet -e ".[build]"
fi
PY="${TAIZHANG_VENV:-.venv}/bin/python"
VERSION=$("$PY" -c "import app; print(app.__version__)")
ARCH=$(uname -m)
DIST=dist/taizhang
started=$(date +%s)

"$PY" -m PyInstaller --noconfirm --log-level WARN --distpath dist \
  --workpath build/pyinstaller installer/taizhang.spec
built=$(date +%s)

# One launcher on Linux: the console and the GUI are the same program here.
ln -sfn taizhang "$DIST/taizhang-cli"
# Debug symbols out of every shared library except numpy.libs (auditwheel-patched
# libraries that stop loading when stripped).
find "$DIST/_internal" -type f -name '*.so*' ! -path '*/numpy.libs/*' \
  -exec strip --strip-unneeded {} +
# The per-user installer and its desktop entry travel inside the folder.
cp installer/linux/install.sh installer/linux/uninstall.sh "$DIST/"
cp installer/linux/taizhang.desktop "$DIST/_internal/"
chmod 755 "$DIST/install.sh" "$DIST/uninstall.sh"

# Self-test exactly as a clerk's machine would start it: no inherited environment.
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
env -i HOME="$home" "$DIST/taizhang-cli" --self-test
env -i HOME="$home" "$DIST/taizhang-cli" --version
# matplotlib's font list was built once, in the user's cache (not a per-start temporary folder)
if ! ls "$home"/.cache/Taizhang/matplotlib-*/fontlist-*.json >/dev/null 2>&1; then
  echo "build.sh: no matplotlib font cache under $home/.cache/Taizhang" >&2
  exit 1
fi

# The oldest glibc the bundle runs on: the newest symbol version any of its files asks for.
glibc=$(find "$DIST" -type f \( -name '*.so*' -o -name taizhang \) -exec objdump -T {} + 2>/dev/null \
  | grep -o 'GLIBC_[0-9][0-9.]*' | sort -uV | tail -1)

archive="dist/taizhang-$VERSION-linux-$ARCH.tar.zst"
rm -f "$archive"
tar -C dist --owner=0 --group=0 -cf - taizhang | zstd -q -19 -T0 -o "$archive"
unpacked=$(du -sm "$DIST" | cut -f1)
packed=$(( $(stat -c %s "$archive") / 1048576 ))
echo "built $DIST in $((built - started)) s (+ $(( $(date +%s) - built )) s strip, self-test, pack)"
echo "unpacked: $unpacked MB ($(du -sb "$DIST" | cut -f1) bytes)"
echo "needs:    $glibc or newer (Linux x86_64)"
echo "archive:  $packed MB  $archive ($(stat -c %s "$archive") bytes)"
