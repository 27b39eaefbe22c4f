"""Build step: copy the top-level rules/, knowledge/, examples/ and the app into the wheel.

They stay at the repository top (the project's layout); the wheel carries them as
advisor/_data/<name> so advisor.datadirs finds them through importlib.resources.
Metadata lives in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA = {"rules": "rules", "knowledge": "knowledge", "examples": "examples", "app/app_pages": "app_pages"}
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")


class BuildWithData(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads the checkout directly
            return
        target = Path(self.build_lib) / "advisor" / "_data"
        for dest, src in DATA.items():
            out = target / dest
            if out.exists():
                shutil.rmtree(out)
            shutil.copytree(ROOT / src, out, ignore=IGNORE)
        shutil.copy2(ROOT / "app.py", target / "app" / "app.py")


setup(cmdclass={"build_py": BuildWithData})
