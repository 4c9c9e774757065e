"""The shipped merge decision is what tools/fit_grouping.py fits from the labelled data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import shared_path

ROOT = Path(__file__).resolve().parent.parent


def test_fit_grouping_reproduces_shipped_model() -> None:
    shared = shared_path("data").parent
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "fit_grouping.py"), "--shared", str(shared),
         "--check", "--json"],
        capture_output=True, text=True, check=True, timeout=900,
    )
    fitted = json.loads(result.stdout)
    shipped = json.loads((ROOT / "storylens" / "grouping_model.json").read_text())
    assert fitted["features"] == shipped["features"]
    for kind, weights in shipped["weights"].items():
        assert fitted["weights"][kind] == pytest.approx(weights, abs=1e-3), kind
