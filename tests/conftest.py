"""Shared fixtures: the published example plans, paths, and the random-plan generator."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_TESTS = Path(__file__).resolve().parent

# ``paths`` and ``reference_cpm`` live next to this file; ``benchmarks.generate`` at the
# repository root.
for _p in (_TESTS, _TESTS.parent):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from paths import FIXTURES  # noqa: E402


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def pdm1_csv() -> Path:
    return FIXTURES / "pdm1.csv"


@pytest.fixture
def pdm1_yaml() -> Path:
    return FIXTURES / "pdm1.yaml"


@pytest.fixture
def write(tmp_path):
    """Write text (or bytes) to ``tmp_path / name`` and return the path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write
