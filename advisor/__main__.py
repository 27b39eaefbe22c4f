"""`python -m advisor ...` runs the same command line as the `advisor` script (where the
script's folder is not on PATH, e.g. a venv not activated)."""

import sys

from advisor.cli import main

sys.exit(main())
