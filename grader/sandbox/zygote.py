"""The zygote: a trusted fork server that starts isolated workers in milliseconds.

Starting a fresh interpreter and importing numpy costs about 0.1 s of CPU,
paid five times per graded submission. The zygote pays it once: it is started
by the judge (grader.sandbox.launcher) with ``python -I -B -c``, imports numpy,
finds out which isolation this machine allows (isolation.iso_probe), then
forks one child per worker request. Each child isolates itself
(isolation.iso_enter) and becomes a worker (worker_main.main). No student
code ever runs in the zygote.

Its source is wire.py + isolation.py + devices.py + worker_main.py + this file, so it
may use the standard library, numpy and the names those define.

Control channel: a unix stream socket to the judge (fd ``sys.argv[1]``).
Judge -> zygote: framed wire messages, each preceded by one byte that carries
file descriptors (SCM_RIGHTS):

- ``{"op": "init", "forbidden": [...], "tmpdir": ...}`` (no descriptors);
- ``{"op": "spawn", "id": n, "config": {...}, "limits": {...}, "workdir": ...}``
  with three descriptors: the worker's request reader, reply writer, output writer.

Zygote -> judge:

- ``{"op": "hello", "pid": ..., "plan": {...} or None, "probe": {...}}``;
- ``{"op": "spawned", "id": n, "pid": p}``;
- ``{"op": "exited", "pid": p, "status": raw wait status}`` for every worker (with
  ``"oom": bool`` for a worker bounded by a memory cgroup: whether the kernel killed it
  for want of memory).

The zygote is a child subreaper: whatever a worker leaves running when it
dies is re-parented here and killed.
"""
# ruff: noqa: F821 - names come from wire.py, isolation.py and worker_main.py (one program)

import select
import signal
import socket

ZYGOTE = {"workers": set(), "plan": None, "forbidden": [], "pid": 0, "parent": 0,
          "uid_processes": 0, "cgroups": {}, "dead_cgroups": []}


def zygote_send(sock, message):
    write_message(sock.fileno(), message)


def zygote_receive(sock):
    """One request and its descriptors, or (None, []) when the judge has gone."""
    try:
        marker, fds, _flags, _addr = socket.recv_fds(sock, 1, 4)
    except OSError:
        return None, []
    if not marker:
        return None, []
    try:
        return read_message(sock.fileno()), list(fds)
    except (EOFError, OSError, WireError):
        for fd in fds:
            os.close(fd)
        return None, []


def zygote_children():
    """Pids of our direct children (including orphans we adopted)."""
    me = os.getpid()
    try:
        with open(f"/proc/{me}/task/{me}/children") as fh:
            return [int(p) for p in fh.read().split()]
    except (OSError, ValueError):
        pass
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == me:
                found.append(int(entry))
        except (OSError, ValueError, IndexError):
            continue
    return found


def zygote_sweep():
    """Kill every child that is not a live worker: what workers left behind."""
    for pid in zygote_children():
        if pid not in ZYGOTE["workers"]:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def zygote_reap(sock):
    swept = False
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
        if pid in ZYGOTE["workers"]:
            ZYGOTE["workers"].discard(pid)
            exited = {"op": "exited", "pid": pid, "status": status}
            group = ZYGOTE["cgroups"].pop(pid, None)
            if group is not None:         # a worker bounded by a memory cgroup of its own
                exited["oom"] = cgroup_oom_killed(group)
                ZYGOTE["dead_cgroups"].append(group)
            try:
                zygote_send(sock, exited)
            except OSError:
                pass
            swept = True
    if swept:
        zygote_sweep()
    zygote_remove_cgroups()


def zygote_remove_cgroups():
    """Remove the cgroups of ended workers (one whose processes are still dying is tried
    again at the next reap or sweep)."""
    ZYGOTE["dead_cgroups"] = [g for g in ZYGOTE["dead_cgroups"] if not cgroup_remove(g)]


def zygote_cgroup_name(pid):
    return f"grader-{ZYGOTE['pid']}-{pid}"


def zygote_arrange_fds(fds):
    """0 <- /dev/null, 1 and 2 <- output, 3 <- requests, 4 <- replies; close the rest."""
    import fcntl

    req_r, rep_w, out_w = fds
    null = os.open("/dev/null", os.O_RDONLY)
    high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 100) for fd in (null, out_w, out_w, req_r, rep_w)]
    for target, fd in enumerate(high):
        os.dup2(fd, target)
    os.closerange(5, 65536)


def zygote_limits(limits):
    import resource

    def cap(which, value):
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass

    cap(resource.RLIMIT_CORE, 0)
    cap(resource.RLIMIT_CPU, int(limits["cpu_s"]))
    if not limits.get("cgroup"):          # a GPU worker: its memory cgroup bounds it instead
        cap(resource.RLIMIT_AS, int(limits["memory_mb"]) * 1024 * 1024)
    cap(resource.RLIMIT_FSIZE, int(limits["file_size_mb"]) * 1024 * 1024)
    cap(resource.RLIMIT_NOFILE, 256)


def zygote_child(sock, request, fds):
    """In the forked child: isolate, then serve as a worker. Never returns."""
    code = 70
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.setsid()
        iso_set_parent_death_signal()
        if os.getppid() != ZYGOTE["pid"]:
            os._exit(code)
        sock.detach()                     # its descriptor is closed with all the others
        zygote_arrange_fds(fds)
        limits = request["limits"]
        if limits.get("cgroup"):
            # Before anything else (and before the PID namespace's fork, which inherits it):
            # a worker that cannot be bounded does not start.
            try:
                cgroup_enter(cgroup_create(limits["cgroup"], zygote_cgroup_name(os.getpid()),
                                           int(limits["memory_mb"])))
            except (OSError, KeyError, ValueError, TypeError) as exc:
                raise IsolationError("memory_cgroup", getattr(exc, "errno", 0) or 0,
                                     str(exc)[:200]) from None
            if ISO_LIBC is not None:      # its own cgroup namespace: /proc/self/cgroup then
                ISO_LIBC.unshare(ISO_CLONE_NEWCGROUP)   # names no host path (best effort)
        zygote_limits(limits)
        config = request["config"]
        plan = dict(ZYGOTE["plan"] or {})
        if not limits.get("isolate_network", True):
            plan["net"] = False
        if not limits.get("no_fork", True):
            plan["seccomp"] = False
        plan["proc"] = bool(limits.get("mount_proc", False))     # the Keras profile
        plan["devices"] = [str(d) for d in limits.get("devices") or ()]   # a GPU, bound
        workdir = request["workdir"]
        nproc = int(limits.get("max_processes", 0))
        if nproc and not plan.get("setuid") and os.geteuid() != 0:
            # a uid shared with the user's other processes: allow what runs already, plus
            # the worker's own share (an approximate bound on fork bombs)
            nproc += ZYGOTE["uid_processes"]
        forbidden = list(ZYGOTE["forbidden"])
        ZYGOTE["forbidden"] = []          # student code never sees where they are
        if ZYGOTE["plan"] is not None:
            workdir = iso_enter(plan, workdir=workdir, forbidden=forbidden,
                                tmp_mb=int(limits.get("tmp_mb", 32)), nproc=nproc,
                                uid=ISO_UID_BASE + os.getpid())
        else:
            os.chdir(workdir)
        del forbidden
        os.environ["HOME"] = workdir
        os.environ["TMPDIR"] = workdir
        config["student_dir"] = workdir
        _fresh_global_random()
        code = 0
        main(config)
    except IsolationError as exc:
        try:
            write_message(4, {"status": "sandbox_error", "message": str(exc)[:300]})
        except Exception:  # noqa: BLE001
            pass
        code = 71
    except BaseException:  # noqa: BLE001 - never fall back into the zygote's loop
        code = code or 72
    finally:
        os._exit(code)


def _fresh_global_random():
    """Every worker forked from the zygote would start with the zygote's global random
    states (numpy's and the random module's): reseed them from the OS, as a freshly
    started interpreter would have them."""
    import random

    import numpy

    random.seed(os.urandom(16))
    numpy.random.seed(int.from_bytes(os.urandom(4), "little"))


def zygote_spawn(sock, request, fds):
    if len(fds) != 3:
        for fd in fds:
            os.close(fd)
        return None
    pid = os.fork()
    if pid == 0:
        zygote_child(sock, request, fds)
    for fd in fds:
        os.close(fd)
    ZYGOTE["workers"].add(pid)
    group = request.get("limits", {}).get("cgroup")
    if group:
        ZYGOTE["cgroups"][pid] = os.path.join(group["base"], zygote_cgroup_name(pid))
    return pid


def zygote_init(request):
    import tempfile

    ZYGOTE["forbidden"] = [str(p) for p in request.get("forbidden", [])]
    base = request.get("tmpdir") or tempfile.gettempdir()
    counter = [0]

    def workdir_factory():
        counter[0] += 1
        path = os.path.join(base, f"grader-probe-{os.getpid()}-{counter[0]}")
        os.makedirs(path, mode=0o755, exist_ok=True)
        return path

    if request.get("isolate", True):
        plan, probe = iso_probe(ZYGOTE["forbidden"], workdir_factory)
    else:
        plan, probe = None, {"ok": False, "error": "isolation turned off"}
    ZYGOTE["plan"] = plan
    if os.geteuid() != 0:
        ZYGOTE["uid_processes"] = iso_processes_of_uid() + 64
    return plan, probe


def zygote_main(ctl_fd, parent_pid):
    ZYGOTE["pid"] = os.getpid()
    ZYGOTE["parent"] = parent_pid
    # No parent-death signal here: it would follow the judge THREAD that started us.
    # When the judge process ends, its end of the control socket closes and we stop.
    if os.getppid() != parent_pid:
        os._exit(0)
    iso_become_subreaper()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The point of a zygote: every worker starts with these already loaded (numpy.random
    # alone is ~20 modules, several of them compiled extensions).
    import importlib.util  # noqa: F401
    import numpy  # noqa: F401
    import numpy.linalg  # noqa: F401
    import numpy.random  # noqa: F401

    sock = socket.socket(fileno=ctl_fd)
    request, _ = zygote_receive(sock)
    if request is None or request.get("op") != "init":
        os._exit(0)
    plan, probe = zygote_init(request)
    zygote_send(sock, {"op": "hello", "pid": os.getpid(), "plan": plan, "probe": probe})
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    while True:
        try:
            ready, _, _ = select.select([sock, wake_r], [], [], 2.0)
        except InterruptedError:
            continue
        if wake_r in ready:
            try:
                while os.read(wake_r, 4096):
                    pass
            except (BlockingIOError, InterruptedError):
                pass
        zygote_reap(sock)
        if not ready:
            zygote_sweep()
            zygote_remove_cgroups()
            continue
        if sock in ready:
            request, fds = zygote_receive(sock)
            if request is None:
                break
            if request.get("op") == "spawn":
                pid = zygote_spawn(sock, request, fds)
                reply = {"op": "spawned", "id": request.get("id"), "pid": pid}
                if pid is None:
                    reply = {"op": "spawn_failed", "id": request.get("id")}
                zygote_send(sock, reply)
            else:
                for fd in fds:
                    os.close(fd)
    zygote_shutdown()
    os._exit(0)


def zygote_shutdown(grace_s=3.0):
    """Kill every worker and whatever they left, and wait until all of it is gone."""
    import time

    for pid in list(ZYGOTE["workers"]):
        for kill in (os.killpg, os.kill):
            try:
                kill(pid, signal.SIGKILL)
            except OSError:
                pass
    ZYGOTE["workers"].clear()
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        zygote_sweep()
        try:
            while os.waitpid(-1, os.WNOHANG)[0] > 0:
                pass
        except ChildProcessError:
            break                         # no child left at all
        time.sleep(0.01)
    ZYGOTE["dead_cgroups"].extend(ZYGOTE["cgroups"].values())
    ZYGOTE["cgroups"].clear()
    zygote_remove_cgroups()
