"""`autoparam report --html` as a user sees it: the page has one SVG per promised plot and
renders in a real browser (headless Chromium) to a picture that is not blank.

The binary is $AUTOPARAM_BIN, or .build/release/autoparam under the repository root (skipped
with a message when it does not exist). The run file is the `run_file` fixture when
Tests/python/conftest.py provides one, else a small run made here. Without Chromium the
rendering test is skipped, except on CI (CI=true), where it fails: install Debian's
`chromium` package.
"""
import json
import os
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

# Plot ids (docs/report.md, "The HTML page"); the spike plots only when spikes were recorded.
ALWAYS = ["fitness-traces", "fitness-median", "final-best", "gene-lineage", "gene-fitness"]


def autoparam_binary():
    path = Path(os.environ.get("AUTOPARAM_BIN", REPO_ROOT / ".build" / "release" / "autoparam"))
    if not path.is_absolute():
        path = REPO_ROOT / path
    if not path.exists():
        pytest.skip(f"autoparam binary not found at {path}: build it (swift build -c release) "
                    "or set AUTOPARAM_BIN")
    return path


@pytest.fixture(scope="module")
def own_small_run(tmp_path_factory):
    """A two-replicate quickstart run shrunk to seconds (used when there is no `run_file`)."""
    binary = autoparam_binary()
    out = tmp_path_factory.mktemp("report-run") / "small.h5"
    command = [str(binary), "run", str(REPO_ROOT / "experiments" / "quickstart.yaml"), "--output", str(out), "--quiet",
               "--force", "--set", "ga.tournaments=3", "--set", "ga.population=4", "--set", "dataset.count=8",
               "--set", "replicates=2"]
    for attempt in range(3):
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
        if result.returncode >= 0:
            break
        # `autoparam run` with two replicates sometimes dies of heap corruption (SIGABRT) as its
        # replicate threads end: a runner bug outside this test's subject. Say so and retry.
        warnings.warn(f"autoparam run died of signal {-result.returncode} (attempt {attempt + 1}): "
                      f"{result.stderr.splitlines()[0] if result.stderr else ''}")
    assert result.returncode == 0, f"autoparam run failed ({result.returncode}): {result.stderr}"
    return out


@pytest.fixture
def report_run_file(request):
    """The shared `run_file` fixture (Tests/python/conftest.py) if there is one, else our own."""
    try:
        return Path(request.getfixturevalue("run_file"))
    except pytest.FixtureLookupError:
        return request.getfixturevalue("own_small_run")


@pytest.fixture
def page(report_run_file, tmp_path):
    """(path of the HTML page, the report's JSON) for the run file."""
    binary = autoparam_binary()
    html = tmp_path / "report.html"
    result = subprocess.run([str(binary), "report", str(report_run_file), "--html", str(html), "--json"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"autoparam report failed ({result.returncode}): {result.stderr}"
    return html, json.loads(result.stdout)


def expected_ids(summary):
    populations = summary["layout"]["populations"]
    ids = list(ALWAYS)
    if populations:
        ids.append("spike-raster")
        if "DN" in populations:
            ids.append("dn-responses")
    return ids


def test_page_has_one_svg_per_plot_with_a_title(page):
    html_path, summary = page
    text = html_path.read_text(encoding="utf-8")
    ids = re.findall(r'<svg id="([^"]+)"', text)
    assert ids == expected_ids(summary), f"plots on the page: {ids}"
    for plot in ids:
        assert f'<title id="{plot}-title">' in text, f"plot {plot} has no <title>"
    assert "<script" not in text.lower(), "the page must have no scripts"
    without_namespace = text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "http://" not in without_namespace and "https://" not in without_namespace, \
        "the page must fetch nothing"
    assert "Experiment file" in text and "Provenance" in text


def chromium_binary():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is not installed: CI must install Debian's chromium package to render the report")
    pytest.skip("chromium is not installed (apt-get install chromium): the rendered page is not checked")


def test_page_renders_to_a_picture_that_is_not_blank(page, tmp_path):
    import matplotlib.image

    browser = chromium_binary()
    html_path, _ = page
    png = tmp_path / "report.png"
    result = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={png}", "--window-size=1400,3000",
         html_path.resolve().as_uri()],
        capture_output=True, text=True, timeout=180)
    assert png.exists(), f"chromium wrote no screenshot ({result.returncode}): {result.stderr[-2000:]}"
    pixels = matplotlib.image.imread(str(png))[:, :, :3]
    assert pixels.shape[0] >= 3000 and pixels.shape[1] >= 1400, pixels.shape
    quantised = (pixels * 255).round().astype(np.uint8).reshape(-1, 3)
    colours = np.unique(quantised, axis=0)
    assert len(colours) >= 16, f"only {len(colours)} distinct colours: the page looks blank"
    not_white = (quantised < 250).any(axis=1).mean()
    assert not_white > 0.02, f"only {not_white:.1%} of the picture is not white"
    # The plots draw in colour (replicate lines, bands), not only black text on white.
    saturated = (quantised.max(axis=1).astype(int) - quantised.min(axis=1).astype(int) > 60).mean()
    assert saturated > 0.001, f"only {saturated:.2%} coloured pixels: the plots did not render"


@pytest.mark.parametrize("width", [1000, 1400])
def test_page_fits_the_window_and_every_dot_has_a_hover_value(page, tmp_path, width):
    """At 1000 and 1400 px no element is wider than the window (the plots scale down), and
    every dot carries a <title> with its value (docs/report.md, "The HTML page")."""
    from browser_layout import measure

    html_path, _ = page
    layout = measure(html_path, width, tmp_path)
    assert layout["count"] == 0, f"elements wider than the {width} px window: {layout['too_wide']}"
    assert layout["scroll_width"] <= layout["viewport"], layout
    text = html_path.read_text(encoding="utf-8")
    circles = re.findall(r"<circle[^>]*?(/?)>", text)
    assert circles and all(end == "" for end in circles), "a dot without a <title>"



def test_log_axes_have_at_least_three_tick_labels(page):
    """A log axis (tick labels such as "1e-3", "2e-3", "1.25e-06") never shows a lone label: grouped by the
    coordinate they share (x for a vertical axis, y for a horizontal one), each axis of the gene
    panels has three or more."""
    html_path, _ = page
    text = html_path.read_text(encoding="utf-8")
    for plot, shared in (("gene-lineage", "x"), ("gene-fitness", "y")):
        svg = re.search(rf'<svg id="{plot}".*?</svg>', text, re.S).group(0)
        axes = {}
        for x, y, label in re.findall(r'<text x="([^"]+)" y="([^"]+)"[^>]*>(-?\d+(?:\.\d+)?e[-+]?\d+)</text>', svg):
            # Panels are 320 px wide and 250 px tall, starting 40 px down (ReportPlots.genePanels).
            panel = (int(float(x) // 320), int((float(y) - 40) // 250))
            axes.setdefault((x if shared == "x" else y, panel), []).append(label)
        for position, labels in axes.items():
            assert len(labels) >= 3, f"{plot}: a log axis at {shared}={position} has only {labels}"
