"""A hidden test imports only its own assignment's checkers (each check re-imports them fresh)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import json, sys
import itpm_course.grading.questions as q
q.grade("scheduling.finish", 52)
loaded = sorted(m for m in sys.modules if m.startswith("itpm_course.grading."))
keys = list(q.all_questions())
print(json.dumps({"loaded": loaded, "keys": keys}))
"""


def test_grading_one_question_imports_only_its_assignment():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    got = json.loads(out.stdout)
    assert got["loaded"] == ["itpm_course.grading.questions", "itpm_course.grading.scheduling"]
    # All questions, in course order, whichever assignment was loaded first.
    prefixes = list(dict.fromkeys(k.split(".")[0] for k in got["keys"]))
    assert prefixes == ["career", "scheduling", "risk", "performance", "capstone"]
    assert got["keys"][:1] == ["career.profile"] and len(got["keys"]) == len(set(got["keys"]))


def test_unknown_questions_are_refused():
    import itpm_course.grading.questions as q  # noqa: PLC0415

    for key in ("scheduling.nope", "nope.plan", "nope"):
        with pytest.raises(KeyError, match="no graded question"):
            q.get(key)
