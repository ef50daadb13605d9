"""The benchmark script runs and prints its figures (speed itself is not asserted here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_runs_and_reports_every_scenario():
    done = subprocess.run([sys.executable, "-m", "benchmarks.run", "--runs", "1", "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data["figures"]) == {"baseline", "healthy", "refusing", "hanging"}
    for figures in data["figures"].values():
        assert figures["median_s"] > 0 and figures["peak_rss_mb"] > 1
    assert set(data["targets"]) == {"healthy median < 0.3 s", "healthy <= 1.5x baseline",
                                    "hanging <= deadline + 0.2 s", "peak RSS < 50 MB"}
    human = subprocess.run([sys.executable, "-m", "benchmarks.run", "--runs", "1"], cwd=ROOT,
                           capture_output=True, text=True, timeout=120)
    assert human.stdout.splitlines()[1].split() == ["scenario", "median", "s", "max", "s", "x",
                                                    "baseline", "peak", "RSS", "MB"]
