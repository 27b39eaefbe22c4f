#!/usr/bin/env bash
# Inside the Python 3.13 stage (called by scripts/py313.sh, in the chroot or on the host):
# install with the README's own set-up script, say which Python runs, run the given tests.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="$1"; shift
PYTHON="$PY" bash scripts/setup.sh -e '.[test]'
"$PY" - <<'PYEOF'
import platform, sys
import durable_rules_engine
if sys.version_info[:2] != (3, 13):
    sys.exit(f"py313: expected CPython 3.13, got {sys.version}")
print(f"py313: Python {platform.python_version()} ({platform.python_implementation()}, {sys.executable}); "
      f"durable_rules_engine from {durable_rules_engine.__file__}", file=sys.stderr)
PYEOF
exec "$PY" -m pytest -q -p no:cacheprovider "$@"
