"""Where the default rule base, knowledge, examples and app live.

In a source checkout (editable install, PYTHONPATH) they are the top-level folders next to
the package; in a wheel the build copies them into `advisor/_data/` (see setup.py), found
through importlib.resources so an installed advisor works from any folder.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """The default folder `name` (rules, knowledge, examples, app): source tree first, then the package."""
    if (_SOURCE_ROOT / "pyproject.toml").is_file() and (_SOURCE_ROOT / name).is_dir():
        return _SOURCE_ROOT / name
    return Path(str(resources.files("advisor") / "_data" / name))


def app_script() -> Path:
    """The Streamlit entry script: app.py of the checkout, or the copy shipped in the wheel."""
    if (_SOURCE_ROOT / "pyproject.toml").is_file() and (_SOURCE_ROOT / "app.py").is_file():
        return _SOURCE_ROOT / "app.py"
    return data_dir("app") / "app.py"
