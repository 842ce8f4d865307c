"""``itpm-course evm``: run the real console script in a subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

_SCRIPT = shutil.which("itpm-course", path=str(Path(sys.executable).parent))
COMMAND = [_SCRIPT] if _SCRIPT else [sys.executable, "-m", "itpm_course.cli"]
EVM1 = ["--bac", "200000", "--pv", "120000", "--ev", "100000", "--ac", "90000"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*COMMAND, "evm", *args], capture_output=True, text=True, timeout=60)


def test_json_keys_and_values_evm1():
    proc = run(*EVM1, "--etc", "95000", "--json")
    assert proc.returncode == 0 and proc.stderr == ""
    data = json.loads(proc.stdout)
    for key in (
        "sv",
        "cv",
        "spi",
        "cpi",
        "eac",
        "eac_variants",
        "etc",
        "vac",
        "tcpi_bac",
        "tcpi_eac",
        "bac",
        "pv",
        "ev",
        "ac",
        "percent_complete",
        "percent_spent",
        "rag",
        "interpretation",
    ):
        assert key in data
    assert data["sv"] == -20_000 and data["cv"] == 10_000
    assert data["eac"] == pytest.approx(180_000) and data["etc"] == pytest.approx(90_000)
    assert data["vac"] == pytest.approx(20_000)
    assert data["tcpi_bac"] == pytest.approx(0.9091, abs=5e-5)
    assert data["tcpi_eac"] == pytest.approx(data["cpi"])
    assert data["eac_variants"] == pytest.approx(
        {
            "bac_over_cpi": 180_000,
            "budget_rate": 190_000,
            "cpi_spi": 198_000,
            "composite": 184_736.842105,
            "bottom_up": 185_000,
        }
    )


def test_table():
    proc = run(*EVM1, "--pd", "6")
    assert proc.returncode == 0
    assert "CPI" in proc.stdout and "1.1111" in proc.stdout and "7.20" in proc.stdout
    assert "Under budget and behind schedule" in proc.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bac", "100", "--pv", "50", "--ev", "150", "--ac", "10"], "ev must be <= bac"),
        (["--bac", "100", "--pv", "50", "--ev", "50", "--ac", "0"], "ac is 0"),
        (["--bac", "100", "--pv", "50", "--ev", "50", "--ac", "-3"], "ac must be >= 0"),
        (["--bac", "100", "--pv", "0", "--ev", "50", "--ac", "3"], "pv is 0"),
        (
            ["--bac", "100", "--pv", "50", "--ev", "50", "--ac", "nan"],
            "--ac must be a finite number",
        ),
        (["--bac", "100", "--pv", "50", "--ev", "50", "--ac", "x"], "invalid float value"),
        (
            ["--bac", "100", "--pv", "50", "--ev", "50", "--ac", "9", "--eac-method", "bottom_up"],
            "needs --etc",
        ),
        (
            ["--bac", "100", "--pv", "50", "--ev", "50", "--ac", "9", "--green", "0.5"],
            "amber <= green",
        ),
    ],
)
def test_bad_input_exits_2_without_traceback(args, message):
    proc = run(*args)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
