"""The worker loop. Runs INSIDE the sandboxed child process, never in the judge.

Its source is concatenated after wire.py (and, in the zygote, isolation.py)
and run with ``python -I -c`` by launcher.py: either in a forked, already
isolated child of the zygote (which calls ``main(config)``), or as a fresh
interpreter that reads its configuration from the request channel. So it may
use only the standard library, numpy, and the names defined in wire.py.

Everything here is untrusted from the judge's point of view: student code
shares this interpreter and can tamper with any of it (the audit hook and the
import blocker included), so the judge treats every reply as plain data to be
checked, never as a verdict; the security boundary is the operating system's
(see isolation.py).

Channel: requests arrive on fd 3, replies leave on fd 4 (framed, see wire.py).
"""
# ruff: noqa: F821 - names come from wire.py (the two files are sent as one program)

import contextlib
import importlib
import itertools
import os
import sys
import traceback
import types
import warnings

REQ_FD, REP_FD = 3, 4
MAX_ITEMS = 100_000
FORBIDDEN_EVENTS = {
    "os.system": "run shell commands",
    "os.exec": "start programs",
    "os.posix_spawn": "start programs",
    "os.spawn": "start programs",
    "subprocess.Popen": "start programs",
    "os.fork": "fork processes",
    "os.forkpty": "fork processes",
    "pty.spawn": "start programs",
    "socket.connect": "use the network",
    "socket.bind": "use the network",
    "socket.getaddrinfo": "use the network",
    "ctypes.dlopen": "load native libraries",
    "ctypes.dlsym": "load native libraries",
    "os.kill": "signal other processes",
    "os.killpg": "signal other processes",
}


class Violation(Exception):
    """Raised inside student code when it tries something forbidden.

    ``module``: the student module whose code did it; ``dependency``: True when
    that module is one this worker only depends on (the exercise being graded
    is not to blame for it: that module's own worker reports it).
    """

    def __init__(self, message, module=None, dependency=False):
        super().__init__(message)
        self.module, self.dependency = module, dependency


STATE = {"violations": [], "student_dir": None,
         "allowed_roots": [], "blocked_modules": set(), "armed": False,
         "dependencies": set(), "call_id": None, "importing": False}


@contextlib.contextmanager
def _importing():
    """Tell the judge that a module is being loaded during a call (the student's own file at
    its first call, or ``import scipy.special`` inside a function), and when it is loaded:
    the judge does not count that time against the call's limit (it gives all of one
    call's loads together the per-call timeout at most, or the call's reduced limit once
    its module hung; see runner.Worker._await), so a function with a short limit is not
    failed for what its first import costs. Only the outermost import is told."""
    if STATE["importing"] or STATE["call_id"] is None:
        yield
        return
    STATE["importing"] = True
    write_message(REP_FD, {"op": "importing", "id": STATE["call_id"]})
    try:
        yield
    finally:
        STATE["importing"] = False
        write_message(REP_FD, {"op": "imported", "id": STATE["call_id"]})


def _time_imports():
    """Route every module load through ``_importing`` (loads only: a module already in
    sys.modules costs nothing more)."""
    bootstrap = importlib._bootstrap
    load = bootstrap._load_unlocked

    def _load_unlocked(spec):
        with _importing():
            return load(spec)

    bootstrap._load_unlocked = _load_unlocked


def _culprit():
    """(student module running now, whether it is a dependency of this worker's exercise)."""
    root = (STATE["student_dir"] or "") + os.sep
    frame = sys._getframe(1)
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(root):
            module = os.path.splitext(os.path.basename(name))[0]
            return module, module in STATE["dependencies"]
        frame = frame.f_back
    return None, False


def _record(kind, detail):
    module, dependency = _culprit()
    if dependency:
        kind = "dependency_" + kind
    if len(STATE["violations"]) < 20:
        STATE["violations"].append({"kind": kind, "detail": str(detail)[:300],
                                    "module": module})
    return module, dependency


def _under(path, roots):
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _forbidden_path(path):
    """Outside every folder this worker may read (the judge never says where the rest is)."""
    return not _under(path, STATE["allowed_roots"])


def _audit(event, args):
    if not STATE["armed"]:
        return
    if event == "open" and args and isinstance(args[0], (str, bytes)):
        path = args[0].decode(errors="replace") if isinstance(args[0], bytes) else args[0]
        full = os.path.realpath(path) if not path.startswith("/proc/self/fd") else path
        if _forbidden_path(full):
            module, dependency = _record("read_reference", full)
            raise Violation(f"access to {full} is not allowed in the sandbox", module, dependency)
        return
    for prefix, what in FORBIDDEN_EVENTS.items():
        if event == prefix or event.startswith(prefix + "."):
            if _asked_by_a_library():
                # refused as the system refuses it (an OSError the library may handle), and
                # not held against the student: matplotlib runs fc-list at its first import
                raise PermissionError(f"the sandbox does not allow code to {what} ({event})")
            module, dependency = _record("forbidden_operation", f"{event}: tried to {what}")
            raise Violation(f"the sandbox does not allow code to {what} ({event})", module,
                            dependency)


_STDLIB = os.path.dirname(os.__file__) + os.sep


def _asked_by_a_library():
    """Whether the operation being audited was asked for by an installed library: the
    innermost frame outside the standard library lies in site-packages (matplotlib's font
    manager), not in the student's files or code they compiled. Either way it is refused;
    a student's own call (subprocess.run, os.system, ...) is also their violation."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if os.sep + "site-packages" + os.sep in name or os.sep + "dist-packages" + os.sep in name:
            return True
        if not (name.startswith(_STDLIB) or name.startswith("<frozen ")):
            return False
        frame = frame.f_back
    return False


class _BlockImports:
    """Meta-path finder refusing the grader's own packages to student code."""

    def find_spec(self, name, path=None, target=None):
        top = name.split(".")[0]
        if STATE["armed"] and top in STATE["blocked_modules"]:
            _record("forbidden_import", top)
            raise ImportError(f"importing '{top}' is not allowed in an exercise")
        return None


def _student_frames(tb):
    """The traceback restricted to frames in the student's own files."""
    root = STATE["student_dir"]
    frames = [f for f in traceback.extract_tb(tb) if f.filename.startswith(root)]
    for f in frames:
        f.filename = os.path.basename(f.filename)
    return frames


def _format_exc(exc):
    frames = _student_frames(exc.__traceback__)
    text = "".join(traceback.format_list(frames))
    text += "".join(traceback.format_exception_only(type(exc), exc))
    return text[-4000:]


def _materialize(value, depth=0):
    """Turn iterators/generators into lists so that they can cross the wire."""
    if depth > 20:
        return value
    if isinstance(value, (list, tuple)):
        items = [_materialize(v, depth + 1) for v in value]
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        return {k: _materialize(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (types.GeneratorType, map, filter, zip, range, itertools.chain)) or (
        hasattr(value, "__next__") and hasattr(value, "__iter__")
    ):
        items = list(itertools.islice(value, MAX_ITEMS + 1))
        if len(items) > MAX_ITEMS:
            raise ValueError(f"the iterator yielded more than {MAX_ITEMS} items")
        return [_materialize(v, depth + 1) for v in items]
    return value


MEMO_ENTRIES = 16
MEMO_KEY_BYTES = 4 * 1024 * 1024


def _callback_proxy(module, func, memo=None):
    """A function answered by the judge (the reference's). With ``memo`` (a dict, for one
    call of a routed function): a second call with the very same arguments and no random
    generator among them (sgd.train asking for minibatches(X, Y, 32, None) every epoch) is
    answered with a fresh copy of the reference's first answer, without asking again."""
    def proxy(*args, **kwargs):
        key = None
        if memo is not None and not any(isinstance(a, np.random.Generator)
                                        for a in list(args) + list(kwargs.values())):
            try:
                key = encode([list(args), kwargs])
            except Exception:  # noqa: BLE001 - what cannot be encoded is asked (and refused)
                key = None
            if key is not None and key in memo:
                return decode(memo[key])
        write_message(REP_FD, {"op": "callback", "module": module, "func": func,
                               "args": list(args), "kwargs": kwargs})
        reply = read_message(REQ_FD)
        if reply.get("status") != "ok":
            raise RuntimeError(reply.get("message", "reference call failed"))
        if key is not None and len(memo) < MEMO_ENTRIES and len(key) <= MEMO_KEY_BYTES:
            try:
                memo[key] = encode(reply["value"])
            except Exception:  # noqa: BLE001 - not kept: asked again next time
                pass
        # A generator the reference drew from advances here as it did there.
        for where, state in reply.get("rngs") or []:
            target = args[where] if isinstance(where, int) and 0 <= where < len(args) \
                else kwargs.get(where) if isinstance(where, str) else None
            if isinstance(target, np.random.Generator):
                try:
                    target.bit_generator.state = state
                except (TypeError, ValueError, KeyError):
                    pass
        return reply["value"]
    proxy.__name__ = func
    proxy.__qualname__ = func
    return proxy


_MODULE_ERRORS = {}


def _is_student_module(name):
    return bool(name) and os.path.isfile(os.path.join(STATE["student_dir"] or "", name + ".py"))


def _broken_module(name, info, real=None):
    """Stands for a student module that failed to import, so that a module importing it
    still loads: its functions that exist work, any other raises an error naming the
    file and line that really failed (one broken file costs only its own checks)."""
    where = f"{name}.py" + (f", line {info['lineno']}" if info.get("lineno") else "")
    why = info.get("message", "")

    def missing(attr):
        def broken(*args, **kwargs):
            raise ImportError(f"{where} could not be used ({why}); fix {name}.py first")
        broken.__name__ = attr
        return broken

    stub = types.ModuleType(name)

    def __getattr__(attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        if real is not None and hasattr(real, attr):
            return getattr(real, attr)
        return missing(attr)

    stub.__getattr__ = __getattr__
    return stub


def _load(name, retry=True):
    if name in _MODULE_ERRORS:
        return None, _MODULE_ERRORS[name]
    if name in sys.modules:
        return sys.modules[name], None
    try:
        return importlib.import_module(name), None
    except SyntaxError as exc:
        # The file that really failed (``sgd`` importing a broken ``dropout`` names dropout).
        failed = os.path.basename(exc.filename or "") if exc.filename else ""
        failed = failed[:-3] if failed.endswith(".py") else name
        info = {"status": "import_error", "kind": "syntax", "module": failed, "importer": name,
                "lineno": exc.lineno, "offset": exc.offset,
                "text": (exc.text or "").rstrip("\n")[:300], "message": str(exc.msg)}
    except BaseException as exc:  # noqa: BLE001 - anything student code raises
        kind = "forbidden_import" if any(
            v["kind"] == "forbidden_import" for v in STATE["violations"]) else "exception"
        frames = _student_frames(exc.__traceback__)
        failed = frames[-1].filename[:-3] if frames and frames[-1].filename.endswith(".py") \
            else name
        culprit = getattr(exc, "name", None) if isinstance(exc, ImportError) else None
        if culprit != name and _is_student_module(culprit):
            failed = culprit          # e.g. an empty dropout.py: it lacks what sgd imports
        info = {"status": "import_error", "kind": kind, "module": failed, "importer": name,
                "message": f"{type(exc).__name__}: {exc}"[:1000],
                "traceback": _format_exc(exc)}
    sys.modules.pop(name, None)
    failed = info["module"]
    if retry and failed != name and _is_student_module(failed) and info["kind"] != \
            "forbidden_import":
        # The importer is not to blame: load it again over a stand-in for the broken file.
        real = sys.modules.get(failed)
        sys.modules[failed] = _broken_module(failed, info, real)
        _MODULE_ERRORS.setdefault(failed, info) if real is None else None
        return _load(name, retry=False)
    _MODULE_ERRORS[name] = info
    return None, info


def _setup(config):
    STATE["student_dir"] = os.path.realpath(config["student_dir"])
    allowed = {os.path.realpath(p) for p in config.get("allowed_roots", [])}
    allowed.add(STATE["student_dir"])
    STATE["allowed_roots"] = sorted(allowed)
    # sys.path keeps only what the worker may read (no source checkout of the grader)
    sys.path[:] = [p for p in sys.path if p and _under(os.path.realpath(p), STATE["allowed_roots"])]
    STATE["blocked_modules"] = set(config.get("blocked_modules", []))
    sys.meta_path.insert(0, _BlockImports())
    # The libraries loaded unarmed are imported BEFORE the student's folder is on
    # sys.path: a student file named like one of their dependencies (TensorFlow imports
    # termcolor, six, wrapt, ...) would otherwise be run by that import, unarmed.
    import numpy  # noqa: F401  - loaded before arming so its own files open freely
    os.environ.update({str(k): str(v) for k, v in (config.get("preload_env") or {}).items()})
    _limit_cpus(int(config.get("cpus") or 0))
    if config.get("preload"):
        _few_malloc_arenas()
    for name in config.get("preload") or ():   # the Keras profile: imported unarmed, like numpy
        importlib.import_module(name)
        if name == "jax":
            _no_jax_plugins_on_the_cpu()
    if config.get("gpu_memory_mb"):
        _cap_gpu_memory(int(config["gpu_memory_mb"]))
    _start_backend()
    _time_imports()
    STATE["armed"] = True      # student code (even module top level) runs armed from here on
    sys.path.insert(0, STATE["student_dir"])
    importlib.invalidate_caches()
    STATE["dependencies"] = set(config.get("substitute", {}))
    for module, funcs in config.get("substitute", {}).items():
        sys.modules[module] = _stub_module(module, list(funcs))


def _limit_cpus(count):
    """Run on at most ``count`` of the CPUs this worker was given (0: all of them).

    XLA sizes its thread pools by the CPUs a process may run on: on a lent 16-core GPU
    machine a JAX Keras worker ran 103 threads and reached 9 GB of address space for the
    lab's small network, then crashed (SIGSEGV) under its 4096 MB limit, or could not start
    a thread under its process limit. On two CPUs: 14 threads, 1.4 GB. A batch's judges
    are already pinned one CPU each; this bounds ``grader check`` and any unpinned caller."""
    try:
        cpus = sorted(os.sched_getaffinity(0))
        if 0 < count < len(cpus):
            start = os.getpid() % len(cpus)       # spread unpinned workers over the CPUs
            os.sched_setaffinity(0, {cpus[(start + i) % len(cpus)] for i in range(count)})
    except (AttributeError, OSError):             # no CPU affinity on this system
        pass


def _few_malloc_arenas():
    """At most two malloc arenas before a Keras backend is imported: glibc gives each
    thread that allocates an arena of its own (64 MB of address space each), and the
    backends' thread pools spent the worker's address-space limit on them (a JAX worker
    here: 1.27 GB of address space after ``jax.devices()``, 0.58 GB with two arenas)."""
    import ctypes

    try:
        ctypes.CDLL(None).mallopt(-8, 2)          # M_ARENA_MAX (glibc; elsewhere: no such call)
    except (OSError, AttributeError):
        pass


def _no_jax_plugins_on_the_cpu():
    """A JAX worker kept on the CPU (``JAX_PLATFORMS=cpu``) never loads JAX's installed
    plugins. JAX initializes every plugin (``jax_plugins``) at its first array whatever
    JAX_PLATFORMS says: on a lent H200 machine (JAX 0.11.2, jax-cuda13-plugin) the CUDA
    plugin added about 2 GB of address space to a CPU worker (3.5 GB after ``jax.devices()``
    instead of 1.4, with two malloc arenas) and tried to start CUDA in it."""
    if os.environ.get("JAX_PLATFORMS") != "cpu":
        return
    try:
        from jax._src import xla_bridge
        with xla_bridge._plugin_lock:
            xla_bridge._plugins_registered = True
    except Exception:  # noqa: BLE001 - another JAX: its plugins load as they would
        pass


def _cap_gpu_memory(mb):
    """A GPU worker: TensorFlow gets at most ``mb`` of each GPU it sees, set before student
    code runs (it cannot be changed once TensorFlow has started using the GPU)."""
    tf = sys.modules.get("tensorflow")
    if tf is None:
        return
    try:
        for gpu in tf.config.list_physical_devices("GPU"):
            tf.config.set_logical_device_configuration(
                gpu, [tf.config.LogicalDeviceConfiguration(memory_limit=mb)])
    except Exception:  # noqa: BLE001 - no GPU after all, or already started: nothing to cap
        pass


def _start_backend():
    """Start the preloaded Keras backend's runtime now, under the grader's settings and before
    any student code runs: JAX builds its backend from XLA_FLAGS and XLA_PYTHON_CLIENT_* at
    its first array, and TensorFlow lets its devices, memory limits and threads be set until
    its runtime starts. Left to the first model, both took what student code had set first
    (a keras_lab.py asking for 95 % of the GPU, or for all of the CPU's threads)."""
    jax = sys.modules.get("jax")
    tf = sys.modules.get("tensorflow")
    try:
        if jax is not None:
            jax.devices()
        if tf is not None:
            tf.config.list_logical_devices()
    except Exception:  # noqa: BLE001 - no backend here: the lab's checks say so, not this
        pass


_REAL_DEPENDENCIES = {}


def _stub_module(module, funcs):
    """A dependency whose graded functions call back into the judge (the reference).

    The student's own file of that module is imported only when something
    else of it is used (a helper, a random function that cannot be
    substituted), so a fully substituted dependency never runs student code.
    """
    stub = types.ModuleType(module)
    for func in funcs:
        setattr(stub, func, _callback_proxy(module, func))

    def __getattr__(name):
        if name == "__all__":             # ``from module import *``: what the file gives
            return _star_names(_real_dependency(module, stub, funcs), funcs)
        if name.startswith("__"):
            raise AttributeError(name)
        real = _real_dependency(module, stub, funcs)
        if real is None or not hasattr(real, name):
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        return getattr(real, name)

    stub.__getattr__ = __getattr__
    return stub


def _star_names(real, funcs):
    """The names ``from module import *`` takes of a stubbed dependency: those of the
    student's own file (its ``__all__``, else its public names), the stubbed functions
    answering for theirs; only those when the file cannot be loaded."""
    if real is None:
        return list(funcs)
    names = getattr(real, "__all__", None)
    if names is None:
        names = [n for n in vars(real) if not n.startswith("_")]
    return sorted(set(map(str, names)) | set(funcs))


def _real_dependency(module, stub, funcs):
    """The student's own module (substituted functions patched in), or None if it fails."""
    if module in _REAL_DEPENDENCIES:
        return _REAL_DEPENDENCIES[module]
    _REAL_DEPENDENCIES[module] = None        # also guards against circular imports
    path = os.path.join(STATE["student_dir"], module + ".py")
    if not os.path.isfile(path):
        return None
    import importlib.util
    try:
        spec = importlib.util.spec_from_file_location(module, path)
        real = importlib.util.module_from_spec(spec)
        with _importing():
            spec.loader.exec_module(real)
    except Exception:  # noqa: BLE001 - its own worker reports what is wrong with it
        return None
    for func in funcs:
        setattr(real, func, getattr(stub, func))
    _REAL_DEPENDENCIES[module] = real
    return real


def _replace(replace):
    """For one call, route functions (``{module: [func, ...]}``) through the judge.

    Every student module attribute bound to the original function (``from
    dropout import dropout_mask`` included) is patched; returns what to restore.
    """
    restore = []
    for mname, funcs in (replace or {}).items():
        target, _ = _load(mname) if mname not in sys.modules else (sys.modules[mname], None)
        students = _student_modules()
        for func in funcs:
            original = getattr(target, func, None) if target is not None else None
            proxy = _callback_proxy(mname, func, memo={})
            for other in [target] + [m for m in students if m is not target]:
                if other is None:
                    continue
                for name, value in list(getattr(other, "__dict__", {}).items()):
                    if (other is target and name == func) or (
                            original is not None and value is original):
                        restore.append((other, name, value))
                        setattr(other, name, proxy)
    return restore


_SEEN_MODULES = {}     # sys.modules name -> (module, whether it is a student file)


def _student_modules():
    """The modules loaded from the student's folder (the answer for each module object is
    kept: a call that routes functions asks for every call, and numpy alone is ~180)."""
    root = (STATE["student_dir"] or "") + os.sep
    out = []
    for name, module in list(sys.modules.items()):
        seen = _SEEN_MODULES.get(name)
        if seen is None or seen[0] is not module:
            seen = (module, (getattr(module, "__file__", None) or "").startswith(root))
            _SEEN_MODULES[name] = seen
        if seen[1]:
            out.append(module)
    # and the student's own files behind stubbed dependencies (loaded without sys.modules)
    out += [m for m in _REAL_DEPENDENCIES.values() if m is not None and m not in out]
    return out


def _call(request):
    module, func = request["module"], request["func"]
    mod, error = _load(module)
    if mod is None:
        return error
    fn = getattr(mod, func, None)
    if fn is None or not callable(fn):
        return {"status": "missing", "module": module, "func": func}
    restore = _replace(request.get("replace"))
    try:
        return _call_function(request, fn, func, module)
    finally:
        for other, name, value in reversed(restore):
            setattr(other, name, value)


def _call_function(request, fn, func, module):
    args = request.get("args", [])
    kwargs = request.get("kwargs", {})
    caught = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = _materialize(fn(*args, **kwargs))
    except NotImplementedError as exc:
        frames = _student_frames(exc.__traceback__)
        where = frames[-1].name if frames else func
        where_file = frames[-1].filename if frames else module + ".py"
        return {"status": "not_implemented", "where": where, "where_file": where_file,
                "message": str(exc)[:500]}
    except Violation as exc:
        if exc.dependency:
            return {"status": "error", "type": "PermissionError",
                    "message": f"{exc} (in {exc.module}.py)"[:1000],
                    "traceback": _format_exc(exc)}
        return {"status": "violation", "message": str(exc)}
    except RecursionError as exc:
        return {"status": "error", "type": "RecursionError", "message": str(exc)[:500],
                "traceback": _format_exc(exc)}
    except BaseException as exc:  # noqa: BLE001
        if isinstance(exc, SystemExit):
            return {"status": "exit", "message": f"sys.exit({exc.code!r})"}
        return {"status": "error", "type": type(exc).__name__, "message": str(exc)[:1000],
                "traceback": _format_exc(exc)}
    reply = {"status": "ok", "value": value,
             "warnings": [{"category": w.category.__name__, "message": str(w.message)[:200]}
                          for w in caught[:5]]}
    if request.get("return_args"):
        reply["args_after"] = list(args)
    return reply


def _serve():
    while True:
        try:
            request = read_message(REQ_FD)
        except EOFError:
            return
        op = request.get("op")
        if op == "call":
            STATE["call_id"] = request.get("id")
            try:
                reply = _call(request)
            finally:
                STATE["call_id"] = None
        elif op == "ping":
            reply = {"status": "ok", "value": "pong"}
        else:
            reply = {"status": "protocol", "message": f"unknown op {op!r}"}
        reply["violations"] = list(STATE["violations"])
        reply["id"] = request.get("id")          # which request this answers (see runner)
        STATE["violations"].clear()
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:  # noqa: BLE001
            pass
        try:
            write_message(REP_FD, reply)
        except WireError as exc:
            write_message(REP_FD, {"status": "bad_return", "message": str(exc),
                                   "violations": reply["violations"], "id": reply["id"]})


def _write_files(config):
    """Write the student's modules (sent with the configuration) into the student directory."""
    directory = config["student_dir"]
    for name, data in (config.get("files") or {}).items():
        base = os.path.basename(str(name))
        if base != name or not base.endswith(".py") or base.startswith("."):
            continue
        payload = data.tobytes() if hasattr(data, "tobytes") else bytes(data)
        with open(os.path.join(directory, base), "wb") as fh:
            fh.write(payload)


def main(config=None):
    """Serve calls until the judge closes the channel.

    ``config`` is given when a zygote forked this process (it arrived with the
    spawn request, without the student's files: those are the first message on
    the request channel); otherwise it is the first message on the request channel.
    """
    sys.addaudithook(_audit)
    if config is None:
        config = read_message(REQ_FD)
    elif config.get("files_on_pipe"):       # a zygote's child: the files come on the pipe,
        config = dict(config, files=read_message(REQ_FD).get("files") or {})   # never via it
    _write_files(config)
    os.chdir(config["student_dir"])
    _setup(config)
    write_message(REP_FD, {"status": "ready", "pid": os.getpid()})
    _serve()


if __name__ == "__main__":
    main()
