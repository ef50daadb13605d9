"""Benchmark: wall time and peak RSS of whole ``antseed-doctor`` runs, against a baseline.

Scenarios (each a real subprocess against a real loopback fake proxy):
healthy (proxy up, healthy config), refusing (nothing listens), hanging
(the proxy accepts and never answers). Baseline, measured in the same run and
interleaved with the others: ``python -c "import click, requests"``.

    python -m benchmarks.run [--runs N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fake_proxy import FakeProxy, free_port, write_buyer_state, write_config  # noqa: E402
from tests.homes import GOOD_PROFILE_FILE, GOOD_PROVIDER, make_home  # noqa: E402

DEADLINE = 3.0
TARGETS = {"healthy_median_s": 0.3, "healthy_ratio": 1.5, "hanging_over_deadline_s": 0.2,
           "peak_rss_mb": 50.0}


def measure(command: List[str], env: Dict[str, str], cwd: Path) -> Tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one child process."""
    began = time.perf_counter()
    proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - began
    proc.returncode = 0
    return wall, usage.ru_maxrss / 1024.0  # Linux reports KiB


def doctor_command() -> List[str]:
    exe = Path(sys.executable).parent / "antseed-doctor"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "doctor.cli"]


def run(runs: int) -> Dict[str, Dict[str, float]]:
    home = make_home()
    data = home.home / ".antseed"
    home.profile(GOOD_PROFILE_FILE)
    samples: Dict[str, List[Tuple[float, float]]] = {
        "baseline": [], "healthy": [], "refusing": [], "hanging": []}
    args = [*doctor_command(), "--codex-version", "0.169.0", "--json"]
    try:
        with FakeProxy(data) as healthy, FakeProxy(data, mode="hang") as hanging:
            refused = free_port()
            setups = {"healthy": healthy.port, "refusing": refused, "hanging": hanging.port}
            env = home.env()  # a clean environment: HOME, PATH, LANG
            baseline = [sys.executable, "-c", "import click, requests"]
            measure(baseline, env, home.work)  # warm-up: caches, bytecode
            measure(args, env, home.work)
            for _ in range(runs):
                samples["baseline"].append(measure(baseline, env, home.work))
                for name, port in setups.items():
                    home.port = port
                    write_config(data, port)
                    write_buyer_state(data, port=port)
                    home.config(GOOD_PROVIDER)
                    samples[name].append(measure(args, env, home.work))
    finally:
        shutil.rmtree(home.root, ignore_errors=True)
    base = statistics.median(w for w, _ in samples["baseline"])
    figures = {}
    for name, values in samples.items():
        walls = sorted(w for w, _ in values)
        figures[name] = {
            "median_s": round(statistics.median(walls), 3),
            "max_s": round(walls[-1], 3),
            "ratio_to_baseline": round(statistics.median(walls) / base, 2),
            "peak_rss_mb": round(max(r for _, r in values), 1),
        }
    return figures


def verdicts(figures: Dict[str, Dict[str, float]]) -> Dict[str, bool]:
    return {
        "healthy median < 0.3 s": figures["healthy"]["median_s"] < TARGETS["healthy_median_s"],
        "healthy <= 1.5x baseline": figures["healthy"]["ratio_to_baseline"] <=
        TARGETS["healthy_ratio"],
        "hanging <= deadline + 0.2 s": figures["hanging"]["max_s"] <=
        DEADLINE + TARGETS["hanging_over_deadline_s"],
        "peak RSS < 50 MB": all(f["peak_rss_mb"] < TARGETS["peak_rss_mb"]
                                for k, f in figures.items() if k != "baseline"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per scenario (median)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options = parser.parse_args()
    figures = run(max(1, options.runs))
    checks = verdicts(figures)
    if options.json:
        print(json.dumps({"runs": options.runs, "figures": figures, "targets": checks},
                         indent=2))
        return
    print(f"antseed-doctor benchmark: {options.runs} run(s) per scenario, "
          f"{os.cpu_count()} CPU(s), Python {sys.version.split()[0]}")
    print(f"{'scenario':<10} {'median s':>9} {'max s':>7} {'x baseline':>11} {'peak RSS MB':>12}")
    for name, f in figures.items():
        print(f"{name:<10} {f['median_s']:>9.3f} {f['max_s']:>7.3f} "
              f"{f['ratio_to_baseline']:>11.2f} {f['peak_rss_mb']:>12.1f}")
    for text, good in checks.items():
        print(f"{'met ' if good else 'MISSED'} {text}")


if __name__ == "__main__":
    main()
