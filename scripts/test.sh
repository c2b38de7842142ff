#!/usr/bin/env bash
# Run the whole test suite (sets up .venv first if needed). Extra arguments go to pytest.
# Where PostgreSQL's server binaries are installed (Debian's `postgresql`), the service,
# command-line and model tests that touch a database run a second time against a throw-away cluster on 127.0.0.1
# (scripts/pg_cluster.sh; TAIZHANG_NO_SERVER_TESTS=1 skips that pass).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check app tests
.venv/bin/python -m pytest "$@"
# The second pass covers the services, the command line and the models (the window tests
# keep using SQLite: their late refreshes outlive the per-test server database). It runs
# for the whole suite only, not when arguments pick some tests.
if [ "$#" -eq 0 ] && [ -z "${TAIZHANG_NO_SERVER_TESTS:-}" ] \
    && [ -z "${TAIZHANG_TEST_DATABASE_URL:-}" ] \
    && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  eval "$(bash scripts/pg_cluster.sh start)"
  trap 'bash scripts/pg_cluster.sh stop "$TZ_PG_DIR"' EXIT
  echo "== again against PostgreSQL (${TAIZHANG_TEST_DATABASE_URL})"
  # tests/conftest.py keeps only the tests that use a database
  .venv/bin/python -m pytest tests/services tests/cli tests/models
fi
