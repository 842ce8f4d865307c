"""Repository layout rules the test runner depends on."""

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_test_module_names_are_unique():
    # pytest's default import mode imports test modules by basename: two test_x.py files in
    # different folders collide (and which one wins depends on the order of collection).
    names = Counter(p.name for p in TESTS.rglob("*.py") if p.name != "conftest.py")
    assert [name for name, count in names.items() if count > 1] == []
