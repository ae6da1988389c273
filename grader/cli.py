"""The `grader` command line. The only module that imports click.

Each command is a thin wrapper over a plain function of the package
(grader.checking.check, grader.submission.submit, grader.grading.grade, ...): it parses
options, calls the function, and prints the returned data.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from grader import __version__, config
from grader.baseline.errors import BaselineError
from grader.errors import GraderError
from grader.i18n import resolve_lang, t
from grader.sandbox.devices import CHOICES as KERAS_DEVICES

LANG_OPTION = click.option("--lang", type=click.Choice(config.LANGUAGES), default=None,
                           help="Idioma / language (default: $GRADER_LANG, locale, es).")
PATH_OPTION = click.option("--path", "path", type=click.Path(file_okay=False, path_type=Path),
                           default=None, show_default="exercises/",
                           help="Carpeta con tus ejercicios / folder with your exercise files.")
ASSIGNMENT_OPTION = click.option(
    "--assignment", "assignment", default=None, metavar="N|FILE.toml",
    help="Tarea / assignment: 1, 2, 3 or the path of an instructor's .toml "
         "(default: the one your files belong to, else 1).")

_STATUS_STYLE = {"passed": "green", "failed": "red", "not_attempted": "yellow", "error": "red",
                 "timeout": "red", "crashed": "red", "forbidden": "magenta", "skipped": "cyan", "not_run": "cyan",
                 "complete": "green", "in_progress": "yellow"}


class UserError(click.ClickException):
    """Shown as ``Error: <message>`` with exit code 1, never a traceback."""


def _run(fn, lang):
    try:
        return fn()
    except (GraderError, BaselineError) as exc:   # BaselineError: --device gpu without one, ...
        raise UserError(exc.message(lang)) from None


def _style(text: str, status: str) -> str:
    return click.style(text, fg=_STATUS_STYLE.get(status))


def _echo_notices(notices, lang):
    for notice in notices:
        click.echo(click.style(notice.message(lang), fg="yellow"), err=True)


def _default_path(path):
    from grader.checking import default_exercises_dir

    return path if path is not None else default_exercises_dir()


def _echo_assignment(choice, lang, err: bool = False):
    """One line: the assignment a command works on, and why (grader.assignments.Choice)."""
    chosen = choice.assignment
    title = chosen.title.get(lang) or chosen.name
    click.echo(t(f"assignment.using.{choice.how}", lang, title=title, name=chosen.name), err=err)
    if choice.ties:
        click.echo(t("assignment.ties", lang, others=", ".join(choice.ties), name=chosen.name),
                   err=err)


def _lang_in(args) -> str | None:
    """The value of ``--lang`` among raw command-line arguments, if any."""
    args = list(args)
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


_ENGLISH_HELP: dict = {}


def _speak(group: click.Group, lang: str):
    """click's own messages and the commands' help in ``lang`` (see grader.i18n.clicktext)."""
    from grader.i18n.clicktext import gettext_for, help_text, option_help

    gettext, ngettext = gettext_for(lang)
    for module in (click.core, click.exceptions, click.decorators, click.formatting,
                   click.parser, click.types, click.termui, click.utils):
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
    metavar = t("cli.options_metavar", lang)
    for name, command in [("group", group), *group.commands.items()]:
        english = _ENGLISH_HELP.setdefault(id(command), (
            command.help, {p.name: getattr(p, "help", None) for p in command.params}))
        command.help = (help_text(name, lang) if lang != "en" else None) or english[0]
        command.options_metavar = metavar
        if hasattr(command, "_help_option"):
            command._help_option = None          # click caches --help with its text
        for param in command.params:
            if isinstance(param, click.Option):
                original = english[1].get(param.name)
                translated = option_help(name, param.name, lang) if lang != "en" else None
                param.help = translated or (original and gettext(original))
    group.subcommand_metavar = t("cli.subcommand_metavar", lang)


class StudentGroup(click.Group):
    """Speaks the student's language from the first word: usage errors and --help too."""

    def main(self, args=None, *rest, **kwargs):
        given = sys.argv[1:] if args is None else args
        _speak(self, resolve_lang(_lang_in(given)))
        return super().main(args, *rest, **kwargs)


@click.group(cls=StudentGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="grader")
def cli():
    """Ejercicios de aprendizaje profundo con corrección automática.

    Auto-graded deep-learning exercises: `grader check` while you work,
    `grader submit` to hand in; instructors use `grader grade`.
    """


@cli.command("list")
@PATH_OPTION
@ASSIGNMENT_OPTION
@LANG_OPTION
def list_command(path, assignment, lang):
    """List the exercises of the assignment, their points and your status."""
    from grader.checking import list_exercises, prepare_assignment

    lang = resolve_lang(lang)
    folder = _default_path(path)
    _, _, choice = _run(lambda: prepare_assignment(folder, (), assignment), lang)
    _echo_assignment(choice, lang)
    click.echo(t("cli.list_checking", lang, path=folder), err=True)
    rows = _run(lambda: list_exercises(folder, lang=lang, assignment=choice.assignment), lang)
    click.echo(t("cli.list_header", lang))
    for row in rows:
        status = t(f"status.{row.status}", lang)
        detail = f" ({row.passed}/{row.total})" if row.total else ""
        if row.skipped:
            detail += " " + t("cli.list_skipped", lang, skipped=row.skipped)
        click.echo(f"{row.name:<16} {row.points:>6g}  {_style(status, row.status)}{detail}")


def print_results(results, lang: str, assignment=None):
    """Human-readable results of `grader check`, grouped by exercise."""
    from grader.checking import hidden_points
    from grader.reports.student import repeated_import_failure

    shown: set = set()        # a file that cannot be imported: its traceback once
    for exercise, checks in results.by_exercise().items():
        score = sum(c.points for c in checks)
        top = sum(c.max_points for c in checks if c.ran)
        click.echo("")
        click.echo(click.style(t("cli.exercise_header", lang, exercise=exercise, score=score,
                                 max_score=top), bold=True))
        for c in checks:
            status = t(f"status.{c.status}", lang)
            click.echo(f"  {_style(f'[{status}]', c.status)} {c.title.get(lang, c.id)}"
                       f"  ({c.points:g}/{c.max_points:g})")
            if c.status != "passed" or c.output.strip():   # passed: what the code printed
                message = repeated_import_failure(c, lang, shown) or c.message(lang)
                for line in message.splitlines():
                    click.echo(f"      {line}")
    click.echo("")
    click.echo(t("cli.score", lang, score=results.score, max_score=results.max_score,
                 total=results.total_points))
    pending = hidden_points({c.exercise for c in results.checks}, assignment)
    if pending:
        click.echo(t("cli.hidden_pending", lang, points=pending))
    if results.not_run:
        click.echo(results.not_run_note(lang))
    failed = sum(c.status not in ("passed", "skipped", "not_run") for c in results.checks)
    if failed:
        click.echo(_style(t("cli.some_failed", lang, failed=failed, total=len(results.checks)),
                          "failed"))
    else:
        click.echo(_style(t("cli.all_passed", lang), "passed"))


@cli.command("check")
@click.argument("exercises", nargs=-1)
@PATH_OPTION
@ASSIGNMENT_OPTION
@click.option("--json", "as_json", is_flag=True,
              help="Print Gradescope-style results.json instead of text.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=None,
              help=f"Seconds per call of a function that trains (default "
                   f"{config.CALL_TIMEOUT_S:g}); the others get at most "
                   f"{config.QUICK_CALL_TIMEOUT_S:g}.")
@LANG_OPTION
def check_command(exercises, path, assignment, as_json, timeout, lang):
    """Run the public checks on your exercises (those of the assignment by default).

    EXERCISES are exercise names (of the assignment) and/or notebooks (sgd.ipynb) to check.
    """
    from grader.checking import check_files, prepare_assignment, split_targets

    lang = resolve_lang(lang)
    names, notebooks = split_targets(exercises)
    source = notebooks or _default_path(path)
    notices: list = []
    files, selected, choice = _run(lambda: prepare_assignment(source, names, assignment,
                                                              notices), lang)
    if not as_json:
        click.echo(t("cli.checking", lang, path=", ".join(map(str, notebooks)) or source))
        _echo_assignment(choice, lang)
    _echo_notices(notices, lang)
    results = _run(lambda: check_files(files, selected, lang=lang, timeout_s=timeout,
                                       assignment=choice.assignment), lang)
    if as_json:
        click.echo(json.dumps(results.to_gradescope(), indent=2, ensure_ascii=False))
    else:
        print_results(results, lang, choice.assignment)
    sys.exit(0 if results.all_passed else 1)


@cli.command("submit")
@click.argument("notebooks", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--student-id", required=True, help="Tu identificador / your student id.")
@PATH_OPTION
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Archivo a escribir / archive to write (default: submission-<id>.zip).")
@ASSIGNMENT_OPTION
@LANG_OPTION
def submit_command(notebooks, student_id, path, out, assignment, lang):
    """Check your files and write the submission archive to hand in.

    NOTEBOOKS: hand in these notebooks (*.ipynb) instead of the .py files.
    """
    from grader.submission import submit

    lang = resolve_lang(lang)
    notices: list = []
    result = _run(lambda: submit(student_id, _default_path(path), out, lang=lang,
                                 notebooks=notebooks, assignment=assignment,
                                 notices=notices), lang)
    _echo_notices(notices, lang)
    _echo_assignment(result.choice, lang)
    score = result.manifest["results"]
    click.echo(t("cli.score", lang, score=score["score"], max_score=score["max_score"],
                 total=100))
    click.echo(t("cli.submission_written", lang, path=result.path,
                 files=len(result.manifest["files"]), sha=result.sha256[:12]))


@cli.command("grade")
@click.argument("submissions", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("grading-out"), show_default=True,
              help="Folder for the gradebook, reports and summary.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Submissions graded in parallel (default: all cores).")
@click.option("--seed", type=int, default=None,
              help="Seed of the hidden checks' inputs (default: drawn and recorded).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=None,
              help=f"Seconds per call of a function that trains (default "
                   f"{config.GRADE_CALL_TIMEOUT_S:g}); the others get at most "
                   f"{config.QUICK_CALL_TIMEOUT_S:g}.")
@click.option("--memory", type=click.IntRange(min=64), default=None,
              help=f"Memory limit per worker in MB (default {config.MEMORY_LIMIT_MB}).")
@click.option("--assignment", "assignment", default=None, metavar="N|FILE.toml",
              help="1, 2, 3 or an instructor's .toml (default: the assignment most "
                   "hand-ins belong to).")
@click.option("--identities", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="CSV (sha256 or origin, student_id[, name]) deciding who "
              "handed in what: resolves identity conflicts.")
@click.option("--allow-weak-isolation", is_flag=True,
              help="Grade even where workers cannot be fully isolated (recorded in every "
              "output).")
@click.option("--keras-device", type=click.Choice(KERAS_DEVICES), default="auto",
              show_default=True,
              help="Where Keras exercises train: an NVIDIA GPU when one is usable (auto), "
              "always the CPU, or only a GPU (refused where none is usable).")
@LANG_OPTION
def grade_command(submissions, out, jobs, seed, timeout, memory, assignment, identities,
                  allow_weak_isolation, keras_device, lang):
    """Grade a class: submit archives, folders, zips, Moodle or Canvas downloads.

    Exit status: 0 when every row can be imported as it is, 3 when some rows
    need an instructor (rejected, identity conflicts, grader failures), 1 on
    an error.
    """
    from grader.grading import format_gradebook, format_summary, grade
    from grader.reports.terminal import terminal_safe

    lang = resolve_lang(lang)
    progress, finish = _progress_reporter(lang)
    try:
        report = _run(lambda: grade(list(submissions), out=out, jobs=jobs, seed=seed,
                                    timeout_s=timeout, memory_mb=memory, lang=lang,
                                    progress=progress, assignment=assignment,
                                    identities=identities,
                                    allow_weak_isolation=allow_weak_isolation,
                                    keras_device=keras_device), lang)
    finally:
        finish()
    click.echo(terminal_safe(format_gradebook(report, lang)))
    click.echo("")
    click.echo(terminal_safe(format_summary(report, lang)))
    sys.exit(3 if report.attention else 0)


def _progress_reporter(lang):
    """A progress bar with ETA on a terminal; one plain line per submission otherwise."""
    state = {"bar": None}
    interactive = sys.stderr.isatty()

    def progress(done, total, label):
        if interactive:
            if state["bar"] is None:
                state["bar"] = click.progressbar(length=total, label=t("cli.grading", lang),
                                                 show_eta=True, show_pos=True, file=sys.stderr)
                state["bar"].__enter__()
            state["bar"].update(1)
        else:
            from grader.reports.terminal import terminal_safe

            click.echo(terminal_safe(f"[{done}/{total}] {label}"), err=True)

    def finish():
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)
    return progress, finish


@cli.command("compare")
@PATH_OPTION
@click.option("--dataset", default="xor", show_default=True,
              help="xor, and, or, moons, spirals, pass_fail, digits.")
@click.option("--hidden", default="4", show_default=True,
              help="Hidden layer sizes, comma separated (e.g. 8,8).")
@click.option("--lr", type=float, default=0.5, show_default=True, help="Learning rate.")
@click.option("--batch-size", type=click.IntRange(min=1), default=4, show_default=True)
@click.option("--epochs", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--dropout", type=click.FloatRange(0.0, 1.0, max_open=True), default=0.0,
              show_default=True)
@click.option("--device", type=click.Choice(["auto", "cpu", "gpu"]), default="auto",
              show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write a PNG with both loss curves and decision boundaries.")
@LANG_OPTION
def compare_command(path, dataset, hidden, lr, batch_size, epochs, dropout, device, seed, plot,
                    lang):
    """Train your numpy MLP and the same network in Keras side by side."""
    from grader.checking import read_exercise_files
    from grader.checks.engine import problem_feedback
    from grader.checks.errors import StudentProblem
    from grader.checks.session import CheckSession
    from grader.compare import compare, format_table

    lang = resolve_lang(lang)
    try:
        sizes = tuple(int(h) for h in hidden.split(",") if h.strip())
    except ValueError:
        raise click.BadParameter(hidden, param_hint="--hidden") from None
    files = _run(lambda: read_exercise_files(_default_path(path)), lang)
    with CheckSession(files=files, lang=lang) as session:
        try:
            result = _run(lambda: compare(session.proxy("sgd"), dataset=dataset, hidden=sizes,
                                          lr=lr, batch_size=batch_size, epochs=epochs,
                                          dropout=dropout, device=device, seed=seed,
                                          lang=lang), lang)
        except StudentProblem as problem:
            _, feedback = problem_feedback(problem)
            raise UserError(feedback.render(lang)) from None
    click.echo(format_table(result, lang))
    if plot is not None:
        from grader.compare import plot as draw

        draw(result, plot, lang=lang)
        click.echo(t("cli.plot_written", lang, path=plot))
    sys.exit(0 if result.verdict == "agree" else 1)


@cli.command("release")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace an earlier bundle in OUT_DIR.")
@click.option("--assignment", "assignment", default=None, metavar="N|FILE.toml",
              help="The assignment to release: 1, 2, 3 or an instructor's .toml (default 1).")
@click.option("--install-from", "install_from", default=None, metavar="URL-OR-PATH",
              help="Where students get the wheel (URL or path of the .whl, a Drive link, a "
                   "page listing it): the assignment notebook's first cell installs it.")
@LANG_OPTION
def release_command(out_dir, force, assignment, install_from, lang):
    """Build the student bundle of an assignment (no solutions, no hidden checks)."""
    from grader.release import release

    lang = resolve_lang(lang)
    bundle = _run(lambda: release(out_dir, force=force, assignment=assignment,
                                  install_from=install_from), lang)
    click.echo(t("cli.release_written", lang, path=bundle.path, files=len(bundle.files),
                 notebooks=len(bundle.notebooks)))
    if bundle.wheel is not None:
        click.echo(t("cli.release_wheel", lang, wheel=bundle.wheel))


@cli.command("export")
@click.argument("target", type=click.Choice(["gradescope"]))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--seed", type=int, default=None,
              help="Seed of the hidden checks' inputs (default: drawn and recorded).")
@click.option("--hidden-visibility", default="after_published", show_default=True,
              type=click.Choice(["hidden", "after_due_date", "after_published", "visible"]),
              help="When students see the hidden checks' results on Gradescope.")
@click.option("--assignment", "assignment", default=None, metavar="N|FILE.toml",
              help="The assignment to grade: 1, 2, 3 or an instructor's .toml (default 1).")
@LANG_OPTION
def export_command(target, out, seed, hidden_visibility, assignment, lang):
    """Write an autograder archive (TARGET: gradescope) to OUT.zip."""
    from grader.export import export

    lang = resolve_lang(lang)
    archive = _run(lambda: export(target, out, seed=seed, lang=lang,
                                  hidden_visibility=hidden_visibility,
                                  assignment=assignment), lang)
    click.echo(t("cli.export_written", lang, path=archive.path, checks=archive.checks,
                 seed=archive.seed))


def main():
    cli(prog_name="grader")


if __name__ == "__main__":
    main()
