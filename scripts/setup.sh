#!/usr/bin/env bash
# Install the advisor (pip arguments: default `-e .`) on Python 3.11, 3.12 or 3.13+.
#
# Why: durable-rules 2.0.28 (pinned; PyPI has only its source package) calls
# PyEval_CallObject, which CPython 3.13 removed, so it fails to compile there. Its setup
# ignores CFLAGS, so on 3.13+ we build it first with the define riding on CC, mapping the
# call to PyObject_CallObject (same semantics); pip then finds it installed. docs/install.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python}"

# The engine compiles on install: say what is missing before pip prints a page of compiler output.
if ! "$PY" -c 'import durable_rules_engine' 2>/dev/null; then
  cc="${CC:-gcc}"
  if ! command -v "${cc%% *}" >/dev/null 2>&1; then
    echo "setup: durable-rules compiles a C extension: no compiler ${cc%% *}; install gcc (Debian: apt install gcc)" >&2; exit 1
  fi
  if ! "$PY" -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'; then
    v="$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
    echo "setup: durable-rules needs the Python $v headers (Python.h): Debian: apt install python$v-dev" >&2; exit 1
  fi
fi

if "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 13) else 1)'; then
  if ! "$PY" -c 'import durable_rules_engine' 2>/dev/null; then
    CC="${CC:-gcc} -DPyEval_CallObject=PyObject_CallObject" \
      "$PY" -m pip install -q --no-binary durable-rules "durable-rules==2.0.28"
  fi
fi

if [ "$#" -eq 0 ]; then set -- -e .; fi
"$PY" -m pip install -q "$@"
