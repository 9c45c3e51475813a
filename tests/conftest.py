from pathlib import Path

import pytest

from marsad.paths import samples_dir as _samples_dir, shared_dir as _shared_dir


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    d = _shared_dir()
    if not d.exists():
        pytest.skip(f"shared reference data not found at {d}")
    return d


@pytest.fixture(scope="session")
def samples_dir(shared_dir) -> Path:
    return shared_dir / "samples"


@pytest.fixture(scope="session")
def sample_paths(samples_dir) -> list[Path]:
    return sorted(samples_dir.glob("*.txt"))
