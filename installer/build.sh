#!/usr/bin/env bash
# Build the one-folder application with PyInstaller into dist/taizhang/ and smoke-test it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m pip install --quiet -e ".[build]"
.venv/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build installer/taizhang.spec
tmp=$(mktemp -d)
dist/taizhang/taizhang-cli init --db "$tmp/smoke.db" --example tianning
dist/taizhang/taizhang-cli plan show --db "$tmp/smoke.db" --json > "$tmp/plan.json"
echo "built dist/taizhang; smoke test ok ($(wc -c < "$tmp/plan.json") bytes of plan JSON)"
