"""Every default of the grader, in one place."""

from pathlib import Path

# Where things live (a source checkout or an editable install).
PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
SOLUTIONS_DIR = REPO_DIR / "solutions"
EXERCISES_DIR = REPO_DIR / "exercises"
CHECKS_DIR = REPO_DIR / "tests" / "checks"
if not CHECKS_DIR.is_dir() and (PACKAGE_DIR / "suites").is_dir():
    # The student bundle (`grader release`) ships its exercise units (public checks,
    # golden values, texts) inside the package, found after a plain `pip install` too.
    CHECKS_DIR = PACKAGE_DIR / "suites"

# Languages of student-facing text.
LANGUAGES = ("es", "en")
DEFAULT_LANGUAGE = "es"
LANG_ENV_VAR = "GRADER_LANG"

# Sandbox limits (per worker process).
CALL_TIMEOUT_S = 10.0           # wall clock for one call of a student function
LIST_CALL_TIMEOUT_S = 2.0       # `grader list`: one call (it answers quickly, or says so)
SUBMISSION_TIMEOUT_S = 120.0    # wall clock for everything one submission runs
GRADE_CALL_TIMEOUT_S = 3.0      # `grader grade`: one call of a student function (--timeout)
MIN_MEMORY_MB = 256             # below this a worker cannot even hold numpy (--memory)
PIN_JUDGES = True               # `grader grade`: each judge (+ its workers) on a CPU of its own
WORKER_START_TIMEOUT_S = 20.0   # interpreter + numpy start-up
ZYGOTE_WORKER_START_TIMEOUT_S = 5.0   # a worker forked by the zygote (numpy already loaded)
CPU_LIMIT_S = 60                # RLIMIT_CPU of a worker
MEMORY_LIMIT_MB = 1024          # RLIMIT_AS of a worker
FILE_SIZE_LIMIT_MB = 16         # RLIMIT_FSIZE of a worker
OUTPUT_LIMIT_BYTES = 16_384     # captured stdout/stderr kept per worker
WORKER_TMP_MB = 32               # size of a worker's private /tmp (its only writable place)
WORKER_MAX_PROCESSES = 8        # RLIMIT_NPROC of a worker's own uid (root only): forks, threads
REPEAT_CALL_TIMEOUT_S = 1.0     # a function that timed out once gets this much next time
# A call of a function that computes one result (sigmoid, update, backward: every function
# but an exercise's ``long_running`` ones, which train) gets this much at most: a check's
# largest input takes such a function ~20 ms even in pure Python (one Python operation per
# element). Time spent loading modules during a call is not counted (up to the call's
# own limit): not the student's file at its first call, nor `import scipy` inside a function.
QUICK_CALL_TIMEOUT_S = 1.0
# A call whose worker neither ran nor waited for a CPU for IDLE_WINDOW_S (time.sleep, a
# wait on nothing) while the judge answered it no callback is stopped then, not at its
# timeout: the course's functions compute, they never wait. (On a CPU or waiting for one
# is progress: a loaded machine is not idleness.) The Keras profile is not watched.
IDLE_WINDOW_S = 1.0
IDLE_FRACTION = 0.02            # less than this share of the window on (or queued for) a CPU
# A call's deadline moves by the time its worker waited for a CPU (a loaded machine), up to
# LOADED_WALL_FACTOR times the timeout; a sleeping worker waits for no CPU.
LOADED_WALL_FACTOR = 4.0
MAX_REPLY_BYTES = 16 * 1024 * 1024   # largest reply the judge reads from a worker (bounds its RSS)
SANDBOX_ENV_VAR = "GRADER_SANDBOX"   # "popen": no zygote; "noisolate": zygote without namespaces
# The Keras worker profile (exercises whose exercise.toml says sandbox = "keras", e.g.
# keras_lab): TensorFlow + Keras are imported in the worker before student code runs
# (their import needs what the sandbox refuses to student code: ctypes, a subprocess,
# a socket), and the limits fit TensorFlow: its import maps ~1 GB of address space and
# a small fit ~2.2 GB (4 GB allowed), it runs ~10 threads with 2 cores (64 allowed,
# and its thread pools are capped at 2), the import takes 4-9 s on a busy 2-core
# machine (added to the worker's start-up time) and a lab's fit 5-30 s.
KERAS_WORKER = {
    "memory_mb": 4096,            # RLIMIT_AS
    "cpu_s": 300,                 # RLIMIT_CPU of the worker (import + every fit)
    "call_timeout_s": 120.0,      # one call: a build, or a whole compile_and_fit
    "repeat_timeout_s": 30.0,
    "max_processes": 64,          # RLIMIT_NPROC: TensorFlow's threads count
    "tmp_mb": 64,                 # ~/.keras/keras.json lives in the worker's /tmp
    "preload": ("tensorflow", "keras"),
    "cpus": 2,                    # CPUs it may run on: XLA sizes its thread pools by them
    "preload_timeout_s": 60.0,    # added to the start-up timeout
    "mount_proc": True,           # TensorFlow reads /proc/self/exe (a proc of its PID namespace)
    "watch_idle": False,          # TensorFlow's threads wait on each other: not idleness
    "quick_call_timeout_s": 0.0,  # a build compiles: every call gets call_timeout_s
}
# A class whose assignment has a Keras exercise gets at least this per submission (one
# keras_lab student took 21-73 s on 2 shared cores; the 120 s default left a loaded machine
# too little, and a deadline reached fails the rest of a correct student's checks).
KERAS_SUBMISSION_S = 300.0
KERAS_WORKER_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0",
                    "KERAS_BACKEND": "tensorflow", "CUDA_VISIBLE_DEVICES": "",
                    "TF_NUM_INTEROP_THREADS": "2", "TF_NUM_INTRAOP_THREADS": "2"}
# A Keras worker on a GPU (grader.sandbox.devices): the GPU visible, and at most
# KERAS_GPU_MEMORY_MB of its memory, set before any student code runs (several workers of a
# batch share one GPU: one student cannot take it all).
KERAS_GPU_ENV = {k: v for k, v in KERAS_WORKER_ENV.items() if k != "CUDA_VISIBLE_DEVICES"}
KERAS_GPU_MEMORY_MB = 2048
# The same worker on Keras's JAX backend (an install without TensorFlow: devices.py,
# keras_lab_backend): XLA on the CPU only, two threads; on a GPU, deterministic kernels, no
# preallocation of the GPU's memory and at most this fraction of it.
KERAS_JAX_WORKER_ENV = {"KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu",
                        "CUDA_VISIBLE_DEVICES": "", "TF_CPP_MIN_LOG_LEVEL": "3",
                        "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false "
                                     "intra_op_parallelism_threads=2"}
KERAS_JAX_GPU_ENV = {"KERAS_BACKEND": "jax", "TF_CPP_MIN_LOG_LEVEL": "3",
                     "XLA_FLAGS": "--xla_gpu_deterministic_ops=true",
                     "XLA_PYTHON_CLIENT_PREALLOCATE": "false",
                     "XLA_PYTHON_CLIENT_MEM_FRACTION": "0.25"}
KERAS_DEVICE = "auto"           # grader grade --keras-device: auto, cpu or gpu
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

# Reading submissions for `grader grade` (grader/ingest): everything stays in memory.
MAX_SOURCE_FILE_BYTES = 512 * 1024        # one exercise .py file
MAX_EXTRA_MODULES = 5                     # helper modules of the student's own (ingest/extras.py)
MAX_NOTEBOOK_BYTES = 16 * 1024 * 1024     # one .ipynb
MAX_MANIFEST_BYTES = 1024 * 1024
MAX_SUBMISSION_BYTES = 64 * 1024 * 1024   # everything one student handed in (declared sizes)
MAX_ARCHIVE_FILE_BYTES = 8 * 1024 ** 3    # a zip on disk (a whole class download)
MAX_ARCHIVE_DEPTH = 2                     # zips inside zips inside the one given
MAX_TREE_ENTRIES = 50_000                 # files in one folder tree or archive
BOMB_MIN_BYTES = 1024 * 1024              # a member this large ...
BOMB_MAX_RATIO = 100                      # ... compressed more than this is a zip bomb
