#!/usr/bin/env bash
# Lint, format check and types, as CI runs them (.ci/run): ruff and mypy, configured in pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m ruff check .
python -m ruff format --check .
python -m mypy
