"""No doc, help text, source comment or exported script cites a file outside the repository.

The project's description of the model is docs/model.md. Early notes lived outside the
repository (a design folder beside the checkout); a reader of a clone has neither, so
nothing the project ships may send them there. Checked:

- forbidden references (a design folder's model note, anything under a `shared/` folder,
  `../shared`) in every text file of the project, one test per area so that a failure names
  the area and lists each file:line;
- relative Markdown links `](path)` in every Markdown file: the target must exist inside the
  repository;
- `docs/*.md` and `experiments/*.yaml` paths named in text: they must exist;
- the help of `autoparam` and of every subcommand, and a script written by
  `autoparam export-genn`: the same rules.
"""
import re
import subprocess
from pathlib import Path

import pytest

from conftest import run_autoparam

REPO_ROOT = Path(__file__).resolve().parents[2]
THIS_FILE = Path(__file__).resolve()

# Built from pieces so that this file does not match its own patterns when scanned.
_DESIGN_NOTE = "design" + "/model" + r"\.md"
FORBIDDEN = re.compile(r"(" + _DESIGN_NOTE + r"|(?<![\w-])shared/|\.\./shared\b)")
DEVELOPMENT_DATA = re.compile(r"\.\./" + "shared" + r"/data\b")
IN_REPO_PATH = re.compile(r"(?<![\w./-])((?:docs/[\w.-]+\.md)|(?:experiments/[\w.-]+\.ya?ml))\b")
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")

TEXT_SUFFIXES = {".md", ".swift", ".py", ".yaml", ".yml", ".sh", ".txt", ".toml", ".json", ""}

#: Areas of the project, each a list of glob patterns relative to the repository root.
AREAS = {
    "README and docs": ["README.md", "docs/**/*.md"],
    "notebooks-export": ["notebooks-export/**/*"],
    "Sources and Package.swift": ["Sources/**/*.swift", "Sources/**/*.md", "Package.swift"],
    "experiments": ["experiments/**/*"],
    "scripts and CI": ["scripts/*", ".ci/*"],
    "Tests": ["Tests/**/*"],
}


def tracked_files():
    """Files under version control (or every file when git is not available)."""
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=REPO_ROOT, capture_output=True, check=True, timeout=60)
        return {REPO_ROOT / p for p in out.stdout.decode().split("\0") if p}
    except (OSError, subprocess.SubprocessError):
        return {p for p in REPO_ROOT.rglob("*") if p.is_file() and ".build" not in p.parts and ".git" not in p.parts}


TRACKED = tracked_files()


def area_files(patterns):
    files = set()
    for pattern in patterns:
        files |= {p for p in REPO_ROOT.glob(pattern) if p.is_file()}
    return sorted(p for p in files & TRACKED | {p for p in files if p.suffix == ".md"}
                  if p.resolve() != THIS_FILE and (p.suffix in TEXT_SUFFIXES) and p.exists())


def problems_in_text(text, where):
    """Forbidden references and missing docs/experiments paths, as 'where:line: text' strings."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if FORBIDDEN.search(line):
            found.append(f"{where}:{number}: cites a file outside the repository: {line.strip()[:160]}")
        for path in IN_REPO_PATH.findall(line):
            if not (REPO_ROOT / path).exists():
                found.append(f"{where}:{number}: names {path}, which is not in the repository")
    return found


def read(path):
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return ""


@pytest.mark.parametrize("area", sorted(AREAS))
def test_no_citations_outside_the_repository(area):
    files = area_files(AREAS[area])
    assert files or area == "scripts and CI", f"no files found for {area}"
    problems = []
    for path in files:
        text = read(path)
        if area == "Tests":
            # Tests may read the development data sets beside the checkout (the seed's CSV,
            # the MNIST subset): they are never copied into the repository and every such
            # test skips, saying so, when the folder is absent.
            text = DEVELOPMENT_DATA.sub("<development data>", text)
        problems += problems_in_text(text, path.relative_to(REPO_ROOT))
    assert not problems, (f"{len(problems)} reference(s) in {area} to files that are not in the repository "
                          "(the model is described in docs/model.md):\n" + "\n".join(problems))


def link_problems(path):
    problems = []
    text = read(path)
    in_code = False
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        for target in MARKDOWN_LINK.findall(line):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                continue  # a URL (http:, mailto:) or an anchor on the same page
            relative = target.split("#", 1)[0]
            resolved = (path.parent / relative).resolve()
            inside = resolved == REPO_ROOT or REPO_ROOT in resolved.parents
            if not inside:
                problems.append(f"{path.relative_to(REPO_ROOT)}:{number}: link to {target} leaves the repository")
            elif not resolved.exists():
                problems.append(f"{path.relative_to(REPO_ROOT)}:{number}: link to {target}: no such file")
    return problems


def test_markdown_links_point_into_the_repository():
    pages = sorted(p for p in TRACKED | set(REPO_ROOT.glob("docs/*.md")) if p.suffix == ".md" and p.exists())
    assert any(p.name == "README.md" for p in pages)
    problems = [problem for page in pages for problem in link_problems(page)]
    assert not problems, "broken relative Markdown links:\n" + "\n".join(problems)


def test_link_checker_catches_a_broken_link(tmp_path, monkeypatch):
    page = REPO_ROOT / "docs" / "model.md"
    text = "see [the model](model.md), [gone](nowhere.md), [out](../../elsewhere.md), [web](https://x.org)\n"
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: text)
    problems = link_problems(page)
    assert len(problems) == 2 and "nowhere.md: no such file" in problems[0] and "leaves" in problems[1]
    assert problems_in_text("see " + "design" + "/model.md and ../" + "shared/data", "x")
    assert not problems_in_text("see docs/model.md, experiments/quickstart.yaml", "x")
    assert problems_in_text("see docs/no-such-page.md", "x")


def subcommands(binary):
    text = run_autoparam(binary, ["--help"]).stdout
    section = text.split("SUBCOMMANDS:", 1)[1]
    names = re.findall(r"^  ([a-z][\w-]*)\s", section, re.M)
    assert "run" in names and "parameters" in names, text
    return names


def test_help_texts_cite_only_repository_files(autoparam_bin):
    problems = problems_in_text(run_autoparam(autoparam_bin, ["--help"]).stdout, "autoparam --help")
    for name in subcommands(autoparam_bin):
        result = run_autoparam(autoparam_bin, [name, "--help"])
        assert result.returncode == 0, f"autoparam {name} --help exited {result.returncode}: {result.stderr}"
        problems += problems_in_text(result.stdout + result.stderr, f"autoparam {name} --help")
    assert not problems, "help texts cite files that are not in the repository:\n" + "\n".join(problems)


def test_exported_genn_script_cites_only_repository_files(autoparam_bin, run_file, tmp_path):
    script = tmp_path / "brain.py"
    result = run_autoparam(autoparam_bin, ["export-genn", run_file, "--output", script])
    assert result.returncode == 0, result.stderr
    problems = problems_in_text(script.read_text(encoding="utf-8"), "export-genn script")
    assert not problems, "the exported script cites files that are not in the repository:\n" + "\n".join(problems)
