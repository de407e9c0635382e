"""Render an HTML page in headless Chromium at a given window width and measure its layout.

The pages autoparam writes have no scripts. To measure them, a copy of the page gets one script
at the end of its body that walks every element, compares its bounding box with the viewport
and writes the result into the DOM; Chromium's `--dump-dom` prints the DOM after the script
ran. The original page is never changed.
"""
import json
import os
import re
import shutil
import subprocess

import pytest

MEASURE = """
<script>
(function () {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.right > width + 0.5 || box.left < -0.5) {
      wide.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " " + Math.round(box.left) + ".." + Math.round(box.right));
    }
  }
  const out = document.createElement("pre");
  out.id = "layout-measure";
  out.textContent = JSON.stringify({viewport: width, scroll_width: document.documentElement.scrollWidth,
                                    too_wide: wide.slice(0, 30), count: wide.length});
  document.body.appendChild(out);
})();
</script>
"""


def chromium_binary():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is not installed: CI must install Debian's chromium package to render the pages")
    pytest.skip("chromium is not installed (apt-get install chromium): the rendered page is not checked")


def measure(html_path, width, work_dir, height=900):
    """{viewport, scroll_width, too_wide: [...], count} of `html_path` rendered `width` px wide."""
    browser = chromium_binary()
    text = html_path.read_text(encoding="utf-8")
    probe = work_dir / f"measure-{width}.html"
    probe.write_text(text.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    result = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--user-data-dir={work_dir / f'profile-{width}'}", f"--window-size={width},{height}",
         "--virtual-time-budget=5000", "--dump-dom", probe.resolve().as_uri()],
        capture_output=True, text=True, timeout=180)
    found = re.search(r'<pre id="layout-measure">(.*?)</pre>', result.stdout, re.S)
    assert found, f"chromium printed no measurement ({result.returncode}): {result.stderr[-2000:]}"
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))


def screenshot(html_path, width, png, work_dir, height=3000):
    browser = chromium_binary()
    result = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--user-data-dir={work_dir / f'shot-profile-{width}'}", f"--screenshot={png}", f"--window-size={width},{height}",
         html_path.resolve().as_uri()],
        capture_output=True, text=True, timeout=180)
    assert png.exists(), f"chromium wrote no screenshot ({result.returncode}): {result.stderr[-2000:]}"
    return png
