"""Paths and published examples shared by the tests.

Test modules import these from here, never from ``conftest``: several folders have
a ``conftest.py``, and which one Python calls ``conftest`` depends on collection order.
"""

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"

EXAMPLES = {
    "PDM-1": "pdm1.csv",
    "PDM-2": "pdm2.csv",
    "CPM-1": "cpm1_general_foundry.csv",
    "CPM-2": "cpm2_reliable.csv",
}
