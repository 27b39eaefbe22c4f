#!/usr/bin/env bash
# Install everything the tests need on a fresh machine, then run the whole suite.
# The README's test command and .ci/run both call this script.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh -e '.[test]'

# Real-browser tests drive Debian's Chromium (Playwright's own browser download does not
# work on this machine kind). Install it when missing and when we are allowed to.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  else
    echo "chromium is missing and cannot be installed here: browser tests will fail" >&2
  fi
fi

# Storage tests run on a throw-away PostgreSQL cluster (tests/test_store_*.py start it with
# initdb/pg_ctl on a free port); install Debian's server when missing (issue 13).
if ! command -v pg_ctl >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "PostgreSQL is missing and cannot be installed here: storage tests will fail" >&2
  fi
fi

exec python -m pytest -q "$@"
