"""`autoparam compare` and `autoparam runs` as a user runs them (docs/compare.md).

The statistics are checked against scipy.stats.mannwhitneyu on synthetic run files with chosen
final best values (Tests/python/synthetic_runs.py): small samples without ties (exact p),
samples with ties and larger samples (normal approximation with tie and continuity correction).
The HTML page is rendered in headless Chromium at 1000 and 1400 px, where no element may be
wider than the window.
"""
import csv
import json
import random
import re
from itertools import combinations

import numpy as np
import pytest
from scipy.stats import mannwhitneyu

from browser_layout import measure
from conftest import run_autoparam
from synthetic_runs import write_run


def compare_json(binary, files, *extra):
    result = run_autoparam(binary, ["compare", *files, "--json", *extra])
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def samples():
    """Final best values of synthetic runs: exact and approximate cases, with and without ties."""
    rng = random.Random(20261202)
    runs = [
        [1, 2, 3],
        [4, 5, 6],
        [2.5, 7, 1.5, 9, 3.25],                              # no ties, 5 values: exact against small runs
        [rng.randint(0, 6) for _ in range(12)],              # ties
        [rng.gauss(10, 3) for _ in range(15)],               # 15 values, no ties: normal approximation
        [round(rng.gauss(11, 3), 1) for _ in range(20)],     # rounded: ties likely
        [5.0] * 4,                                           # every value tied
    ]
    return runs


def test_pairwise_tests_match_scipy(autoparam_bin, tmp_path):
    runs = samples()
    files = [write_run(tmp_path / f"run{i}.h5", values, name=f"run{i}") for i, values in enumerate(runs)]
    summary = compare_json(autoparam_bin, files)
    assert [r["label"] for r in summary["runs"]] == [f"run{i}" for i in range(len(runs))]
    pairs = {(p["first"], p["second"]): p for p in summary["pairs"]}
    assert len(pairs) == len(runs) * (len(runs) - 1) // 2
    methods = set()
    for i, j in combinations(range(len(runs)), 2):
        pair = pairs[(f"run{i}", f"run{j}")]
        expected = mannwhitneyu(runs[i], runs[j], alternative="two-sided")
        assert pair["u"] == pytest.approx(float(expected.statistic), abs=1e-9), (i, j)
        assert pair["p"] == pytest.approx(float(expected.pvalue), rel=1e-9, abs=1e-12), (i, j, pair)
        pooled = runs[i] + runs[j]
        ties = len(set(pooled)) < len(pooled)
        assert pair["ties"] == ties
        exact = (len(runs[i]) <= 8 or len(runs[j]) <= 8) and not ties
        assert pair["method"] == ("exact" if exact else "normal_approximation"), (i, j)
        methods.add(pair["method"])
        assert pair["rank_biserial"] == pytest.approx(2 * expected.statistic / (len(runs[i]) * len(runs[j])) - 1)
    assert methods == {"exact", "normal_approximation"}


def test_per_run_statistics_and_bootstrap(autoparam_bin, tmp_path):
    values = [3.0, 5.0, 4.0, 8.0, 6.0, 7.0]
    file = write_run(tmp_path / "one.h5", values)
    summary = compare_json(autoparam_bin, [file, file], "--label", "A", "--label", "B")
    run = summary["runs"][0]
    stats = run["final_best_statistics"]
    assert stats["count"] == 6
    assert stats["mean"] == pytest.approx(np.mean(values))
    assert stats["sd"] == pytest.approx(np.std(values, ddof=1))
    assert stats["median"] == pytest.approx(np.median(values))
    interval = run["final_best_mean_interval"]
    assert interval["lower"] < np.mean(values) < interval["upper"]
    assert summary["bootstrap"]["resamples"] == 10000
    # The bootstrap is seeded: the same file gives the same interval under either label.
    assert summary["runs"][1]["final_best_mean_interval"] == interval
    assert summary["pairs"][0]["p"] == 1.0
    assert run["median_best_trace"] == [{"tournaments": 0, "median": 5.5, "q25": 4.25, "q75": 6.75, "replicates": 6}]


def test_csv_and_html_outputs(autoparam_bin, run_file, tmp_path):
    other = write_run(tmp_path / "other.h5", [1, 2, 3])
    html = tmp_path / "compare.html"
    result = run_autoparam(autoparam_bin, ["compare", run_file, other, "--label", "quickstart", "--label", "synthetic",
                                           "--csv", tmp_path / "csv", "--html", html])
    assert result.returncode == 0, result.stderr
    assert "Pairwise: two-sided Mann-Whitney U" in result.stdout
    with open(tmp_path / "csv" / "pairs.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["first"], r["second"]) for r in rows] == [("quickstart", "synthetic")]
    with open(tmp_path / "csv" / "final_best.csv", newline="") as f:
        finals = list(csv.DictReader(f))
    assert [r["label"] for r in finals].count("synthetic") == 3
    with open(tmp_path / "csv" / "traces.csv", newline="") as f:
        assert {r["label"] for r in csv.DictReader(f)} == {"quickstart", "synthetic"}
    text = html.read_text(encoding="utf-8")
    assert '<svg id="compare-traces"' in text and '<svg id="compare-final-best"' in text
    assert "<script" not in text.lower()
    # Every dot holds a <title> (its hover value): no dot is a self-closing element.
    circles = re.findall(r"<circle[^>]*?(/?)>", text)
    assert len(circles) >= 5 and all(end == "" for end in circles)


@pytest.mark.parametrize("width", [1000, 1400])
def test_compare_page_fits_the_window(autoparam_bin, run_file, tmp_path, width):
    other = write_run(tmp_path / "other.h5", [1, 2, 3])
    html = tmp_path / "compare.html"
    result = run_autoparam(autoparam_bin, ["compare", run_file, other, "--html", html])
    assert result.returncode == 0, result.stderr
    layout = measure(html, width, tmp_path)
    assert layout["count"] == 0, f"elements wider than the {width} px window: {layout['too_wide']}"
    assert layout["scroll_width"] <= layout["viewport"], layout


def test_compare_reads_a_run_that_is_still_being_written(autoparam_bin, tmp_path):
    running = write_run(tmp_path / "running.h5", [4, 5], status="running")
    done = write_run(tmp_path / "done.h5", [1, 2])
    summary = compare_json(autoparam_bin, [running, done])
    assert summary["runs"][0]["complete"] is False
    assert summary["runs"][0]["incomplete"], summary["runs"][0]
    assert summary["runs"][0]["wall_seconds_total"] is None
    assert summary["pairs"][0]["u"] == 4.0


def test_bad_input_exits_two(autoparam_bin, tmp_path):
    file = write_run(tmp_path / "a.h5", [1])
    for args, message in [(["compare", tmp_path / "missing.h5"], "no such run file"),
                          (["compare", file, file, "--label", "x"], "--label"),
                          (["compare", file, file, "--label", "x", "--label", "x"], "repeat"),
                          (["compare"], "at least one run file"),
                          (["runs", tmp_path / "nowhere"], "no such directory")]:
        result = run_autoparam(autoparam_bin, args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert message in result.stderr, (args, result.stderr)


def test_runs_lists_every_run_file_under_a_directory(autoparam_bin, tmp_path):
    (tmp_path / "sub").mkdir()
    write_run(tmp_path / "a.h5", [1, 2], name="alpha", seed=3)
    write_run(tmp_path / "sub" / "b.h5", [7], name="beta", seed=4, status="running")
    (tmp_path / "not-a-run.h5").write_text("hello")
    result = run_autoparam(autoparam_bin, ["runs", tmp_path])
    assert result.returncode == 0, result.stderr
    assert "alpha" in result.stdout and "beta" in result.stdout
    assert "not-a-run.h5" in result.stderr
    listing = json.loads(run_autoparam(autoparam_bin, ["runs", tmp_path, "--json"]).stdout)
    by_name = {r["name"]: r for r in listing["runs"]}
    assert set(by_name) == {"a.h5", "sub/b.h5"}
    assert by_name["a.h5"]["master_seed"] == 3
    assert by_name["a.h5"]["replicates"] == 2 and by_name["a.h5"]["replicates_complete"] == 2
    assert by_name["a.h5"]["best_fitness"] == 2.0
    assert by_name["sub/b.h5"]["replicates_complete"] == 0
    assert by_name["a.h5"]["bytes"] > 0
    assert [s["path"].endswith("not-a-run.h5") for s in listing["skipped"]] == [True]


def test_default_directory_is_runs(autoparam_bin, tmp_path):
    (tmp_path / "runs").mkdir()
    write_run(tmp_path / "runs" / "x.h5", [1])
    result = run_autoparam(autoparam_bin, ["runs"], cwd=tmp_path)
    assert result.returncode == 0 and "x.h5" in result.stdout, result.stderr


def test_readme_help_block_lists_every_subcommand(autoparam_bin):
    """README's `autoparam --help` block shows the same subcommand lines as the tool."""
    from pathlib import Path

    help_text = run_autoparam(autoparam_bin, ["--help"]).stdout
    section = help_text.split("SUBCOMMANDS:", 1)[1].split("\n\n", 1)[0]
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ autoparam --help", 1)[1].split("```", 1)[0]
    assert section.strip() in block, "README's `autoparam --help` block is out of date:\n" + section
