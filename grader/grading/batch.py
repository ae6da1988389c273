"""`grader grade`: grade a whole class, resumably, and write the gradebook and reports."""

from __future__ import annotations

import re
import time
from pathlib import Path

from grader import config
from grader.errors import GraderError
from grader.i18n import t
from grader.grading.model import REJECTED, GradeReport
from grader.grading.pool import JudgePool, Task, task_timeout
from grader.grading.rows import graded_row, rejected_row
from grader.grading.store import RunStore
from grader.ingest import apply_identities, discover, load_identities, resolve
from grader.ingest.layouts import files_digest
from grader.ingest.model import Problem, printable
from grader.sandbox.devices import CHOICES as KERAS_DEVICES

STUDENTS_DIR = "students"


def _settings(timeout_s, memory_mb) -> dict:
    """Everything besides files and seed that a grade depends on (part of the cache key)."""
    call = float(timeout_s) if timeout_s else config.GRADE_CALL_TIMEOUT_S
    return {"call_timeout_s": call, "memory_mb": int(memory_mb or config.MEMORY_LIMIT_MB),
            "submission_s": max(config.SUBMISSION_TIMEOUT_S, 12 * call)}


def _validate(paths, out, jobs, timeout_s, memory_mb, lang):
    if not paths:
        raise GraderError("error.grade_no_inputs")
    for p in paths:
        if not Path(p).exists():
            raise GraderError("error.path_not_found", path=str(p))
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise GraderError("error.grade_out_not_folder", path=str(out))
    if jobs is not None and int(jobs) < 1:
        raise GraderError("error.grade_bad_jobs", jobs=jobs)
    if timeout_s is not None and not float(timeout_s) > 0:
        raise GraderError("error.grade_bad_timeout", timeout=timeout_s)
    if memory_mb is not None and int(memory_mb) < config.MIN_MEMORY_MB:
        raise GraderError("error.grade_memory_too_low", memory=memory_mb,
                          minimum=config.MIN_MEMORY_MB)
    if lang not in config.LANGUAGES:
        raise GraderError("error.grade_bad_lang", language=lang, known=", ".join(config.LANGUAGES))


def report_dir_names(ids) -> dict:
    """A folder name for every student id (unique, file-system safe)."""
    names, used = {}, set()
    for sid in ids:
        base = re.sub(r"[^A-Za-z0-9._@+-]", "_", sid) or "student"
        name, n = base, 1
        while name.lower() in used:
            n += 1
            name = f"{base}-{n}"
        used.add(name.lower())
        names[sid] = name
    return names


def grade(submissions: list, *, out: Path, jobs: int | None = None, seed: int | None = None,
          timeout_s: float | None = None, memory_mb: int | None = None, lang: str = "es",
          progress=None, assignment=None, identities=None,
          allow_weak_isolation: bool = False, keras_device: str | None = None) -> GradeReport:
    """Grade every submission found in ``submissions`` and write the results to ``out``.

    Inputs:
    - submissions: paths of `grader submit` archives, student folders / zips,
      Moodle or Canvas downloads (folders or zips), mixed freely.
    - out: the output folder (created; a run into the same folder resumes).
    - jobs: submissions graded in parallel (default: all cores).
    - seed: seed of the hidden checks' inputs (default: the one recorded in
      ``out`` by an earlier run, else a fresh one; recorded in every output).
    - timeout_s: wall-clock seconds per call of student code; memory_mb: per worker.
    - lang: language of the reports ("es" or "en").
    - progress: ``progress(done, total, label)`` after each submission.
    - assignment: a name ("1") or an instructor's TOML path; default: the one most
      hand-ins belong to (grader.assignments.for_class). Its exercises are the columns;
      it is part of every stored grade's key.
    - identities: a CSV naming the student of hand-ins (see grader.ingest.identity).
    - allow_weak_isolation: grade even where the system cannot isolate workers
      (else a GraderError says what is missing); recorded in every output.
    - keras_device: where the Keras workers train: "auto" (default: an NVIDIA GPU where
      one is usable, else the CPU, saying why), "cpu", or "gpu" (a GraderError where no
      GPU is usable); see grader.sandbox.devices. Not part of a grade's key: the
      verdicts are the same on both.
    Returns: a GradeReport (rows, class summary, paths written, seed, isolation);
    ``report.attention`` counts the rows an instructor must look at.
    """
    from grader.sandbox.runner import default_forbidden

    started = time.monotonic()
    paths = [Path(p) for p in submissions]
    _validate(paths, out, jobs, timeout_s, memory_mb, lang)
    keras_device = keras_device or config.KERAS_DEVICE
    if keras_device not in KERAS_DEVICES:
        raise GraderError("error.keras_device_unknown", device=str(keras_device)[:40])
    given = None
    if assignment is not None:
        from grader.assignments import lookup

        given = lookup(assignment)
    id_lines = load_identities(identities) if identities else None
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        store = RunStore(out).open()
        run_seed = store.seed(seed)
    except OSError as exc:
        raise GraderError("error.grade_cannot_write", path=str(exc.filename or out),
                          reason=exc.strerror or str(exc)) from None
    settings = _settings(timeout_s, memory_mb)
    n_jobs = int(jobs or JudgePool.default_jobs())
    forbidden = default_forbidden() + [str(out.resolve())] + [str(p.resolve()) for p in paths]
    pool = JudgePool(n_jobs, forbidden, task_timeout(settings)).start()
    try:
        return _grade(pool, paths, out, store, run_seed, settings, n_jobs, lang, progress,
                      started, given, id_lines, allow_weak_isolation, keras_device)
    except OSError as exc:           # the output folder filled up or became unwritable
        raise GraderError("error.grade_cannot_write", path=str(exc.filename or out),
                          reason=exc.strerror or str(exc)) from None
    finally:
        pool.close(kill=True)


def _grade(pool, paths, out, store, run_seed, settings, n_jobs, lang, progress, started,
           given=None, id_lines=None, allow_weak=False, keras_device="auto"):
    from grader.assignments import for_class, to_dict
    from grader.grading.rows import rejected_row as _rejected_row
    from grader.reports.summary import status_text
    from grader.grading.similarity import warm_fingerprints
    from grader.reports.write import write_outputs, write_student_safely
    from grader.sandbox.requirements import missing_isolation, weak_problem

    subs = discover(paths, skip=[out])
    if id_lines is not None:
        subs = apply_identities(subs, id_lines)
    chosen, older = resolve(subs)
    assignment, assignment_notes = for_class(chosen, given)
    keras_note = _warm_keras_cache(assignment.exercises)
    # what the judges grade, and part of every stored grade's key (not its title: renaming
    # an assignment regrades nothing)
    settings = {**settings, "assignment": {k: v for k, v in to_dict(assignment).items()
                                           if k != "title"}}
    isolation = dict(pool.wait_isolation() or _isolation_here())
    missing = missing_isolation(isolation)
    if missing and not allow_weak:
        from grader.sandbox.requirements import refusal

        raise refusal(missing)
    isolation["weak_allowed"] = bool(missing)
    isolation["memory_mb"] = settings["memory_mb"]
    plan = _keras_device_plan(keras_device) if _keras_exercises(assignment.exercises) else None
    keras_workers = keras_worker_limits(settings, assignment.exercises, plan)
    if keras_workers is not None:
        settings["submission_s"] = keras_workers["submission_s"]      # Keras is slow
        pool.task_timeout_s = max(pool.task_timeout_s, task_timeout(settings))
        isolation["keras_workers"] = keras_workers
    # what the judges get: the settings of the key, and where the Keras workers train
    judged = {**settings, "keras_device": plan} if plan is not None else settings
    weak = weak_problem(missing) if missing else None
    dirs = report_dir_names([s.key for s in chosen])
    total = len(chosen)
    done = 0
    rows: dict[str, object] = {}
    tasks: list[Task] = []
    skipped = 0

    def tick(label):
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total, printable(label, 200))

    def superseded(sub):
        return [s.origin for s in older.get(sub.student_id, [])] if not sub.conflict else []

    def boundary(sub, make):
        """Build one row; a failure becomes that row's state, never the batch's end."""
        try:
            row = make()
        except OSError:
            raise                              # the output folder: the whole batch's problem
        except Exception as exc:  # noqa: BLE001 - one hand-in never stops the batch
            row = _rejected_row(sub, seed=run_seed, superseded=superseded(sub),
                                report_dir=f"{STUDENTS_DIR}/{dirs[sub.key]}",
                                exercises=assignment.exercises,
                                problem=Problem("batch.reason.row_failed",
                                                {"error": type(exc).__name__}))
        if weak is not None:
            row.reasons.append(weak)
        rows[sub.key] = row
        # Its reports now, and its code's fingerprint for the similarity section: work for
        # this process while the judges grade the others, not a wait at the end.
        write_student_safely(row, out, lang)
        if row.files and row.status != REJECTED:
            warm_fingerprints(row.files)
        return row

    for sub in chosen:
        where = f"{STUDENTS_DIR}/{dirs[sub.key]}"
        if sub.rejected is not None:
            boundary(sub, lambda: rejected_row(sub, seed=run_seed, problem=sub.rejected,
                                               superseded=superseded(sub), report_dir=where,
                                               exercises=assignment.exercises))
            tick(t("batch.progress.rejected", lang, student=sub.key))
            continue
        key = store.key(files_digest(sub.files, sub.file_problems), run_seed, settings)
        record = store.load(key)
        if record is not None:
            skipped += 1
            boundary(sub, lambda: graded_row(sub, record, seed=run_seed,
                                             superseded=superseded(sub), report_dir=where))
            tick(t("batch.progress.unchanged", lang, student=sub.key))
            continue
        tasks.append(Task(key=key, label=sub.key, files=dict(sub.files), seed=run_seed,
                          settings=judged))
    subs_by_key = {s.key: s for s in chosen}

    def on_done(task: Task, record, error):
        sub = subs_by_key[task.label]
        where = f"{STUDENTS_DIR}/{dirs[sub.key]}"

        if record is not None:
            store.save(task.key, record)   # an unwritable output folder stops the batch (OSError)

        def make():
            if record is not None:
                return graded_row(sub, record, seed=run_seed, superseded=superseded(sub),
                                  report_dir=where)
            key = {"timeout": "grading.reason.grading_timeout",
                   "judge_crashed": "grading.reason.judge_crashed"}.get(
                       error, "grading.reason.internal_error_submission")
            params = {"seconds": int(task_timeout(settings))} if error == "timeout" else {}
            return rejected_row(sub, seed=run_seed, problem=Problem(key, params),
                                superseded=superseded(sub), report_dir=where,
                                exercises=assignment.exercises)

        row = boundary(sub, make)
        total_text = f"{row.total:g}" if row.total is not None else "-"
        tick(t("batch.progress.graded", lang, student=sub.key,
               status=status_text(row.status, lang), total=total_text))

    pool.run(tasks, on_done)
    ordered = [rows[s.key] for s in chosen]
    report = write_outputs(ordered, out=out, seed=run_seed, lang=lang, isolation=isolation,
                           older=older, skipped=skipped, graded_now=len(tasks), jobs=n_jobs,
                           keras_note=keras_note, assignment=assignment,
                           assignment_notes=assignment_notes,
                           written=rows.keys())     # each when its row was made (boundary)
    report.elapsed_s = time.monotonic() - started
    report.judge_peak_mb = pool.judge_maxrss_kb / 1024
    report.batch_peak_mb = _maxrss_kb() / 1024
    return report


def _maxrss_kb() -> int:
    from grader.grading.judge import _maxrss_kb as peak

    return peak()


def _keras_exercises(exercises) -> list[str]:
    from grader.exercises import EXERCISES

    return [ex for ex in exercises if getattr(EXERCISES.get(ex), "sandbox", "") == "keras"]


def _keras_device_plan(choice: str) -> dict:
    """Where this batch's Keras workers train (grader.sandbox.devices); ``gpu`` asked where
    none is usable is a GraderError saying why, before any student code runs."""
    from grader.sandbox.devices import keras_device_plan

    plan = keras_device_plan(choice)
    if choice == "gpu" and plan["device"] != "gpu":
        raise _NoGpu(plan)
    return plan


class _NoGpu(GraderError):
    """``--keras-device gpu`` where no GPU is usable: why, in the user's language."""

    def __init__(self, plan: dict):
        self.plan = plan
        super().__init__("error.keras_device_no_gpu", why=plan["reason"])

    def message(self, lang: str) -> str:
        from grader.reports.summary import keras_device_text

        return t("error.keras_device_no_gpu", lang, why=keras_device_text(self.plan, lang))


def keras_worker_limits(settings: dict, exercises, plan: dict | None = None) -> dict | None:
    """The limits the Keras workers of ``exercises`` run under (the ``keras`` worker
    profile raises --memory and --timeout to what Keras needs), with what was asked
    and where they train (``plan``: grader.sandbox.devices.keras_device_plan); None when no
    exercise uses that profile. The class summary reports them."""
    from grader.grading.judge import sandbox_limits

    keras = _keras_exercises(exercises)
    if not keras:
        return None
    asked = sandbox_limits({**settings, "keras_device": plan})
    limits = asked.profile("keras")
    device = {"device": "cpu", "reason": "asked_cpu", "nodes": [], "detail": ""}
    device.update({k: plan[k] for k in ("device", "reason", "nodes", "detail", "requested")
                   if plan and k in plan})
    if plan and plan.get("cgroup"):
        device["cgroup_version"] = plan["cgroup"].get("version")
    device["backend"] = limits.preload_env.get("KERAS_BACKEND", "tensorflow")
    return {"exercises": keras, "memory_mb": limits.memory_mb, "device": device,
            "call_timeout_s": limits.call_timeout_s, "cpu_s": limits.cpu_s,
            "max_processes": limits.max_processes,
            # the whole hand-in's budget, raised like the rest (config.KERAS_SUBMISSION_S)
            "submission_s": max(float(settings.get("submission_s") or 0),
                                config.KERAS_SUBMISSION_S),
            "asked_memory_mb": asked.memory_mb, "asked_call_timeout_s": asked.call_timeout_s}


def _warm_keras_cache(exercises) -> str | None:
    """Compute the Keras results the Keras checks of ``exercises`` compare with, once per
    batch (not per student).

    Returns why they cannot be had (those checks are then skipped), or None.
    """
    try:
        from grader.baseline.suite import warm_cache

        warm_cache(tuple(exercises))
    except Exception as exc:  # noqa: BLE001 - Keras missing or broken: reported, not fatal
        return f"{type(exc).__name__}: {exc}"[:300]
    return None


def _isolation_here() -> dict:
    """What a worker would get on this machine (asked when nothing needed grading)."""
    from grader.grading.judge import _isolation

    return _isolation()

