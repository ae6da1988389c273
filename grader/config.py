"""Every default of the grader, in one place."""

from pathlib import Path

# Where things live (a source checkout or an editable install).
PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
SOLUTIONS_DIR = REPO_DIR / "solutions"
EXERCISES_DIR = REPO_DIR / "exercises"
CHECKS_DIR = REPO_DIR / "tests" / "checks"
RUBRIC_FILE = PACKAGE_DIR / "rubric.toml"

# Languages of student-facing text.
LANGUAGES = ("es", "en")
DEFAULT_LANGUAGE = "es"
LANG_ENV_VAR = "GRADER_LANG"

# Sandbox limits (per worker process).
CALL_TIMEOUT_S = 10.0           # wall clock for one call of a student function
SUBMISSION_TIMEOUT_S = 120.0    # wall clock for everything one submission runs
WORKER_START_TIMEOUT_S = 20.0   # interpreter + numpy start-up
CPU_LIMIT_S = 60                # RLIMIT_CPU of a worker
MEMORY_LIMIT_MB = 1024          # RLIMIT_AS of a worker
FILE_SIZE_LIMIT_MB = 16         # RLIMIT_FSIZE of a worker
OUTPUT_LIMIT_BYTES = 16_384     # captured stdout/stderr kept per worker
# Module names student code may not import.
BLOCKED_MODULES = ("solutions", "grader", "tests", "conftest")

# Numerical tolerances of the checks (float64).
RTOL = 1e-7
ATOL = 1e-10
FINITE_DIFF_EPS = 1e-6
FINITE_DIFF_MAX_REL_ERROR = 1e-7

# Submission archive.
SUBMISSION_SUFFIX = ".zip"
MANIFEST_NAME = "manifest.json"
