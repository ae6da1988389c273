"""The `grader` command line. The only module that imports click.

Each command is a thin wrapper over a plain function of the package
(grader.check.check, grader.submit.submit, grader.grade.grade, ...): it parses
options, calls the function, and prints the returned data.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from grader import __version__, config
from grader.errors import GraderError
from grader.i18n import resolve_lang, t

LANG_OPTION = click.option("--lang", type=click.Choice(config.LANGUAGES), default=None,
                           help="Idioma / language (default: $GRADER_LANG, locale, es).")
PATH_OPTION = click.option("--path", "path", type=click.Path(file_okay=False, path_type=Path),
                           default=None, show_default="exercises/",
                           help="Carpeta con tus ejercicios / folder with your exercise files.")

_STATUS_STYLE = {"passed": "green", "failed": "red", "not_attempted": "yellow", "error": "red",
                 "timeout": "red", "crashed": "red", "forbidden": "magenta", "skipped": "cyan",
                 "complete": "green", "in_progress": "yellow"}


class UserError(click.ClickException):
    """Shown as ``Error: <message>`` with exit code 1, never a traceback."""


def _run(fn, lang):
    try:
        return fn()
    except GraderError as exc:
        raise UserError(exc.message(lang)) from None


def _style(text: str, status: str) -> str:
    return click.style(text, fg=_STATUS_STYLE.get(status))


def _default_path(path):
    return path if path is not None else Path("exercises")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="grader")
def cli():
    """Ejercicios de aprendizaje profundo con corrección automática.

    Auto-graded deep-learning exercises: `grader check` while you work,
    `grader submit` to hand in; instructors use `grader grade`.
    """


@cli.command("list")
@PATH_OPTION
@LANG_OPTION
def list_command(path, lang):
    """List the exercises, their points and your status."""
    from grader.check import list_exercises

    lang = resolve_lang(lang)
    rows = _run(lambda: list_exercises(_default_path(path), lang=lang), lang)
    click.echo(t("cli.list_header", lang))
    for row in rows:
        status = t(f"status.{row.status}", lang)
        detail = f" ({row.passed}/{row.total})" if row.total else ""
        click.echo(f"{row.name:<16} {row.points:>6g}  {_style(status, row.status)}{detail}")


def print_results(results, lang: str):
    """Human-readable results of `grader check`, grouped by exercise."""
    from grader.check import hidden_points

    for exercise, checks in results.by_exercise().items():
        score = sum(c.points for c in checks)
        top = sum(c.max_points for c in checks)
        click.echo("")
        click.echo(click.style(t("cli.exercise_header", lang, exercise=exercise, score=score,
                                 max_score=top), bold=True))
        for c in checks:
            status = t(f"status.{c.status}", lang)
            click.echo(f"  {_style(f'[{status}]', c.status)} {c.title.get(lang, c.id)}"
                       f"  ({c.points:g}/{c.max_points:g})")
            if c.status != "passed":
                message = c.message(lang)
                for line in message.splitlines():
                    click.echo(f"      {line}")
    click.echo("")
    click.echo(t("cli.score", lang, score=results.score, max_score=results.max_score,
                 total=results.total_points))
    pending = hidden_points({c.exercise for c in results.checks})
    if pending:
        click.echo(t("cli.hidden_pending", lang, points=pending))
    failed = sum(c.status != "passed" for c in results.checks)
    if failed:
        click.echo(_style(t("cli.some_failed", lang, failed=failed, total=len(results.checks)),
                          "failed"))
    else:
        click.echo(_style(t("cli.all_passed", lang), "passed"))


@cli.command("check")
@click.argument("exercises", nargs=-1)
@PATH_OPTION
@click.option("--json", "as_json", is_flag=True,
              help="Print Gradescope-style results.json instead of text.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=None,
              help=f"Seconds per call of your code (default {config.CALL_TIMEOUT_S:g}).")
@LANG_OPTION
def check_command(exercises, path, as_json, timeout, lang):
    """Run the public checks on your exercises (all five by default)."""
    from grader.check import check

    lang = resolve_lang(lang)
    folder = _default_path(path)
    if not as_json:
        click.echo(t("cli.checking", lang, path=folder))
    results = _run(lambda: check(folder, exercises, lang=lang, timeout_s=timeout), lang)
    if as_json:
        click.echo(json.dumps(results.to_gradescope(), indent=2, ensure_ascii=False))
    else:
        print_results(results, lang)
    sys.exit(0 if results.all_passed else 1)


@cli.command("submit")
@click.option("--student-id", required=True, help="Tu identificador / your student id.")
@PATH_OPTION
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Archivo a escribir / archive to write (default: submission-<id>.zip).")
@LANG_OPTION
def submit_command(student_id, path, out, lang):
    """Check your files and write the submission archive to hand in."""
    from grader.submit import submit

    lang = resolve_lang(lang)
    result = _run(lambda: submit(student_id, _default_path(path), out, lang=lang), lang)
    score = result.manifest["results"]
    click.echo(t("cli.score", lang, score=score["score"], max_score=score["max_score"],
                 total=100))
    click.echo(t("cli.submission_written", lang, path=result.path,
                 files=len(result.manifest["files"]), sha=result.sha256[:12]))


def main():
    cli(prog_name="grader")


if __name__ == "__main__":
    main()
