#!/usr/bin/env bash
# Install the advisor (pip arguments: default `-e .`) on Python 3.11, 3.12 or 3.13+.
#
# Why: durable-rules 2.0.28 (pinned; PyPI has only its source package) calls
# PyEval_CallObject, which CPython 3.13 removed, so it fails to compile there. Its setup
# ignores CFLAGS, so on 3.13+ we build it first with the define riding on CC, mapping the
# call to PyObject_CallObject (same semantics); pip then finds it installed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python}"

if "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 13) else 1)'; then
  if ! "$PY" -c 'import durable_rules_engine' 2>/dev/null; then
    CC="${CC:-gcc} -DPyEval_CallObject=PyObject_CallObject" \
      "$PY" -m pip install -q --no-binary durable-rules "durable-rules==2.0.28"
  fi
fi

if [ "$#" -eq 0 ]; then set -- -e .; fi
"$PY" -m pip install -q "$@"
