"""The assignment notebook, run as a Colab student runs it: on its own, in a fresh kernel
of a fresh virtual environment holding only the student wheel and what Colab preinstalls.

Colab's own runtime cannot be reached from here, so it is mimicked: its Python
minor version (COLAB_PYTHON, when an interpreter of that version is on this
machine; else this one) and its preinstalled numpy (COLAB_NUMPY), ipykernel,
pytest, click and nbformat. The notebook's first cell installs the wheel from a
local path with ``%pip install``, as Colab installs it from the URL given to
``grader release --install-from``. Then:

- with the solutions pasted into its exercise cells, every check passes, and the
  archive ``submit()`` writes (and "downloads" through a stand-in for
  ``google.colab.files``) gets the assignment's full marks from ``grader grade``;
- with the stubs as shipped, every check says "not attempted" and no cell errors.

Creating the environment takes most of the time (about a minute): one module-scoped
fixture makes it once.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from grader import config
from grader.notebooks.assignment import assignment_exercises
from grader.notebooks.build import assignment_filename, assignment_notebook
from grader.rubric import load_rubric

pytestmark = [pytest.mark.slow, pytest.mark.sandbox]
nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("jupyter_client")

ASSIGNMENT = "1"
COLAB_PYTHON = "3.12"                 # Colab's runtime (2025-2026): Python 3.12,
COLAB_NUMPY = "2.0.2"                 # numpy 2.0.2, and these preinstalled:
COLAB_PREINSTALLED = (f"numpy=={COLAB_NUMPY}", "ipykernel", "pytest", "click", "nbformat")
STUDENT_ID = "ana.garcia"

STATUSES = ("import json\n"
            "print('@@' + json.dumps([[c.id, c.status] for c in check().checks]))")
FAKE_COLAB = ("import sys, types\n"
              "google, colab, files = (types.ModuleType(n) for n in "
              "('google', 'google.colab', 'google.colab.files'))\n"
              "files.download = lambda path: print('@@download', path)\n"
              "google.colab, colab.files = colab, files\n"
              "sys.modules.update({'google': google, 'google.colab': colab, "
              "'google.colab.files': files})")


def _colab_python() -> str:
    """An interpreter of Colab's Python version when this machine has one, else this one."""
    pyenv = Path.home() / ".pyenv" / "versions"
    candidates = [str(p) for p in sorted(pyenv.glob(f"{COLAB_PYTHON}.*/bin/python{COLAB_PYTHON}"))]
    candidates.append(shutil.which(f"python{COLAB_PYTHON}"))
    for candidate in filter(None, candidates):
        works = subprocess.run([candidate, "-c", "import venv"], capture_output=True)
        if works.returncode == 0:          # (a pyenv shim of an inactive version fails)
            return candidate
    return sys.executable


def _run(cmd, **kw):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900, **kw)


@pytest.fixture(scope="module")
def colab(tmp_path_factory):
    """The release (its wheel's local path given as --install-from) and a Colab-like venv."""
    from grader.release import release
    from grader.release.wheel import wheel_name

    # Outside /tmp: the sandbox mounts its own /tmp, where workers would not see the venv.
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dl-grader-tests"
    base.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="colab-", dir=base))
    try:
        out = root / "bundle"
        bundle = release(out, install_from=str(out / "dist" / wheel_name()))
        venv = root / "venv"
        made = _run([_colab_python(), "-m", "venv", str(venv)])
        assert made.returncode == 0, made.stderr
        python = venv / "bin" / "python"
        pre = _run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    *COLAB_PREINSTALLED])
        if pre.returncode != 0:
            pytest.skip(f"cannot install Colab's preinstalled packages here: {pre.stderr[-500:]}")
        kernels = root / "kernels"
        (kernels / "colab").mkdir(parents=True)
        (kernels / "colab" / "kernel.json").write_text(json.dumps({
            "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Colab-like", "language": "python"}))
        yield {"bundle": bundle, "python": python, "kernels": kernels, "root": root}
    finally:
        shutil.rmtree(root, ignore_errors=True)


def execute(colab, nb, folder: Path):
    """Run every cell in a fresh kernel of the Colab-like venv; the notebook with outputs."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    folder.mkdir(parents=True, exist_ok=True)
    km = KernelManager(kernel_name="colab",
                       kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(colab["kernels"])]))
    client = nbclient.NotebookClient(nb, km=km, timeout=300,
                                     resources={"metadata": {"path": str(folder)}})
    client.execute()                # raises CellExecutionError on the first failing cell
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors
    return nb


def printed(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []))


def shown(cell) -> str:
    return "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "")
                   for o in cell.get("outputs", []))


def statuses(nb) -> dict:
    return dict(json.loads(printed(nb.cells[-1]).split("@@", 1)[1]))


def shipped(colab, lang):
    path = colab["bundle"].path / "assignments" / lang / assignment_filename(ASSIGNMENT)
    return nbformat.read(str(path), as_version=4)


def public_checks(ids) -> set:
    items = load_rubric().items
    return {c for c in ids if items[c].suite == "public"}


def student_checks():
    from grader.checking import CHECK_SUITES

    exercises = set(assignment_exercises(ASSIGNMENT))
    return {i.id for i in load_rubric().items.values()
            if i.exercise in exercises and i.suite in CHECK_SUITES}


@pytest.fixture(scope="module")
def solved(colab):
    """The Spanish notebook with the solutions pasted into its exercise cells, run."""
    nb = shipped(colab, "es")
    solutions = assignment_notebook(ASSIGNMENT, "es", source_dir=config.SOLUTIONS_DIR)
    reference = {c.source.splitlines()[0]: c.source for c in solutions.cells
                 if c.source.startswith("#| exercise:")}
    for cell in nb.cells:
        if cell.source.startswith("#| exercise:"):
            cell.source = reference[cell.source.splitlines()[0]]
        if "submit" in cell.metadata.get("tags", []):
            cell.source = cell.source.replace("TU_ID", STUDENT_ID)
            nb.cells.insert(nb.cells.index(cell), nbformat.v4.new_code_cell(FAKE_COLAB))
            break
    nb.cells.append(nbformat.v4.new_code_cell(STATUSES))
    folder = colab["root"] / "solved"
    return execute(colab, nb, folder), folder


@pytest.fixture(scope="module")
def stubs(colab):
    """The English notebook as shipped (stubs), run top to bottom."""
    nb = shipped(colab, "en")
    nb.cells.append(nbformat.v4.new_code_cell(STATUSES))
    return execute(colab, nb, colab["root"] / "stubs")


def test_the_first_cell_installs_the_wheel_given_to_release(colab):
    install = shipped(colab, "es").cells[2]
    assert "install" in install.metadata["tags"]
    assert f'%pip install -q "{colab["bundle"].wheel}"' in install.source


def test_the_kernel_runs_colabs_python_and_numpy(colab, solved):
    probe = _run([str(colab["python"]), "-c",
                  "import sys, numpy; print(f'{sys.version_info[0]}.{sys.version_info[1]}',"
                  " numpy.__version__)"])
    version, numpy_version = probe.stdout.split()
    assert numpy_version == COLAB_NUMPY
    assert version == COLAB_PYTHON or _colab_python() == sys.executable


def test_the_grader_in_the_kernel_comes_from_the_wheel(colab, solved):
    where = _run([str(colab["python"]), "-c", "import grader; print(grader.__file__)"],
                 cwd=colab["root"])
    assert str(colab["root"] / "venv") in where.stdout, where.stdout + where.stderr


def test_with_the_solutions_every_check_passes(solved):
    nb, _ = solved
    found = statuses(nb)
    assert set(found) == student_checks()
    public = public_checks(found)
    assert public and {found[c] for c in public} == {"passed"}, found
    # Keras checks skip themselves where TensorFlow is missing and nothing is cached.
    assert set(found.values()) <= {"passed", "skipped", "not_run"}
    checks = [c for c in nb.cells if "check" in c.metadata.get("tags", [])]
    assert len(checks) == len(assignment_exercises(ASSIGNMENT))
    assert all("[superada]" in shown(c) and "[no superada]" not in shown(c) for c in checks)


def test_submit_writes_the_archive_and_offers_it_for_download(solved):
    nb, folder = solved
    archive = folder / f"submission-{STUDENT_ID}.zip"
    assert archive.is_file()
    submit_cell = next(c for c in nb.cells if "submit" in c.metadata.get("tags", []))
    assert f"@@download {archive}" in printed(submit_cell)


def test_the_archive_submit_wrote_gets_full_marks_from_grader_grade(solved, tmp_path):
    from click.testing import CliRunner

    from grader.cli import cli

    _, folder = solved
    archive = folder / f"submission-{STUDENT_ID}.zip"
    result = CliRunner().invoke(cli, ["grade", str(archive), "--out", str(tmp_path / "out"),
                                      "--lang", "en"])
    assert result.exit_code == 0, result.output
    import csv

    with (tmp_path / "out" / "gradebook.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 1 and rows[0]["status"] == "graded", rows
    full = sum(i.points for i in load_rubric().items.values()
               if i.exercise in assignment_exercises(ASSIGNMENT))
    assert float(rows[0]["total"]) == full


def test_with_the_stubs_every_check_is_not_attempted_and_no_cell_errors(stubs):
    found = statuses(stubs)
    assert set(found) == student_checks()
    public = public_checks(found)
    assert public and {found[c] for c in public} == {"not_attempted"}, found
    assert set(found.values()) <= {"not_attempted", "skipped", "not_run"}
    submit_cell = next(c for c in stubs.cells if "submit" in c.metadata.get("tags", []))
    assert "TU_ID" in shown(submit_cell)          # asks for the id, writes nothing
