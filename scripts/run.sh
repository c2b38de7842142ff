#!/usr/bin/env bash
# Set up (first time) and start Taizhang. Usage: bash scripts/run.sh [--db FILE | subcommand ...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >&2
exec .venv/bin/python main.py "$@"
