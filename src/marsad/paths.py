"""Where marsad finds its shipped data and, for build scripts and tests, the shared reference data."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"  # compiled data shipped inside the package
REPO_DIR = PACKAGE_DIR.parent.parent  # only meaningful in a source checkout


def shared_dir() -> Path:
    """The shared reference folder: $MARSAD_SHARED, else ../shared beside the checkout."""
    env = os.environ.get("MARSAD_SHARED")
    if env:
        return Path(env)
    return (REPO_DIR.parent / "shared").resolve()


def samples_dir() -> Path:
    return shared_dir() / "samples"
