"""Operating-system isolation of one worker process (Linux), applied before any student code.

Runs in the zygote (see zygote.py): in its freshly forked child, between the
fork and the first line of student code. Its source is concatenated into the
zygote program, so it uses the standard library only, defines no names that
clash with wire.py / worker_main.py (everything is prefixed ``iso_``/``ISO_``)
and has no ``from __future__`` import.

What a worker gets where the kernel allows it (``iso_probe`` finds out once
per zygote which of these work here, and the judge reports the rest):

- mount namespace + pivot_root into a new, read-only root that holds ONLY the
  Python runtime (interpreter, standard library, site-packages), /usr, a
  minimal /dev and a private, size-limited /tmp with the student's files.
  The reference solutions, the checks, the grader, other students' files and
  the gradebook do not exist in it; there is no /proc and no /sys;
- PID namespace: the worker is PID 1 of its own namespace, so killing it
  kills everything it forked, including daemons that called setsid();
- network namespace (no interfaces but a loopback that is down), IPC and UTS
  namespaces;
- as root: a uid of its own (no capabilities, no privileges, a process count
  limit that belongs to this worker alone); as a normal user: a user
  namespace, and every capability dropped before student code runs;
- no_new_privs, so no set-user-ID program can give privileges back.
"""

import ctypes
import json
import os
import platform
import resource
import signal
import socket
import sys

ISO_CLONE_NEWNS = 0x00020000
ISO_CLONE_NEWUTS = 0x04000000
ISO_CLONE_NEWIPC = 0x08000000
ISO_CLONE_NEWUSER = 0x10000000
ISO_CLONE_NEWPID = 0x20000000
ISO_CLONE_NEWNET = 0x40000000
ISO_CLONE_NEWCGROUP = 0x02000000

ISO_MS_RDONLY = 1
ISO_MS_NOSUID = 2
ISO_MS_NODEV = 4
ISO_MS_NOEXEC = 8
ISO_MS_REMOUNT = 32
ISO_MS_NOATIME = 1024
ISO_MS_NODIRATIME = 2048
ISO_MS_BIND = 4096
ISO_MS_REC = 16384
ISO_MS_PRIVATE = 1 << 18
ISO_MS_RELATIME = 1 << 21
ISO_MNT_DETACH = 2

ISO_PR_SET_PDEATHSIG = 1
ISO_PR_SET_NAME = 15
ISO_PR_CAPBSET_DROP = 24
ISO_PR_SET_SECUREBITS = 28
ISO_PR_SET_CHILD_SUBREAPER = 36
ISO_PR_SET_NO_NEW_PRIVS = 38
ISO_PR_CAP_AMBIENT = 47
ISO_PR_CAP_AMBIENT_CLEAR_ALL = 4
# SECBIT_NOROOT | _LOCKED | SECBIT_KEEP_CAPS_LOCKED | NO_CAP_AMBIENT_RAISE | _LOCKED
ISO_SECUREBITS = 0x01 | 0x02 | 0x20 | 0x40 | 0x80
ISO_CAP_VERSION_3 = 0x20080522

# syscall numbers of the calls glibc has no wrapper for
ISO_SYSCALLS = {"x86_64": {"pivot_root": 155, "capset": 126},
                "aarch64": {"pivot_root": 41, "capset": 91}}

# statvfs flags -> mount flags (a bind remount must keep the locked ones)
ISO_ST_TO_MS = ((1, ISO_MS_RDONLY), (2, ISO_MS_NOSUID), (4, ISO_MS_NODEV), (8, ISO_MS_NOEXEC),
                (1024, ISO_MS_NOATIME), (2048, ISO_MS_NODIRATIME), (4096, ISO_MS_RELATIME))

ISO_SANDBOX_TMP = "/tmp"
ISO_SANDBOX_WORKDIR = "/tmp/work"
ISO_DEVICES = ("null", "zero", "full", "random", "urandom")
ISO_FEATURES = ("userns", "mount", "pid", "net", "ipc", "uts", "setuid", "caps", "seccomp")

# seccomp: what a worker may not do at all, so that its memory limit bounds the whole worker
# (no second process to multiply RLIMIT_AS, no memfd / SysV shm / message queue pages outside
# it) and it cannot inspect other processes. Threads (clone with CLONE_THREAD) stay allowed.
ISO_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
ISO_SECCOMP_DENY = {
    "x86_64": {"fork": 57, "vfork": 58, "clone3": 435, "memfd_create": 319, "memfd_secret": 447,
               "shmget": 29, "mq_open": 240, "ptrace": 101, "process_vm_readv": 310,
               "process_vm_writev": 311, "userfaultfd": 323},
    "aarch64": {"clone3": 435, "memfd_create": 279, "memfd_secret": 447, "shmget": 194,
                "mq_open": 180, "ptrace": 117, "process_vm_readv": 270,
                "process_vm_writev": 271, "userfaultfd": 282},
}
ISO_SECCOMP_CLONE = {"x86_64": 56, "aarch64": 220}
ISO_CLONE_THREAD = 0x00010000
ISO_ENOSYS, ISO_EPERM = 38, 1

try:
    ISO_LIBC = ctypes.CDLL(None, use_errno=True)
    ISO_LIBC.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                               ctypes.c_ulong, ctypes.c_char_p]
    ISO_LIBC.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
    ISO_LIBC.unshare.argtypes = [ctypes.c_int]
    ISO_LIBC.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong,
                               ctypes.c_ulong]
    ISO_LIBC.syscall.restype = ctypes.c_long
except (OSError, AttributeError):
    ISO_LIBC = None


class IsolationError(OSError):
    """One isolation step failed; ``step`` names it (the probe drops that feature)."""

    def __init__(self, step, err, detail=""):
        super().__init__(err, f"{step}: {os.strerror(err) if err else ''} {detail}".strip())
        self.step = step


def iso_check(result, step, detail=""):
    if result != 0:
        raise IsolationError(step, ctypes.get_errno(), detail)


def iso_prctl(option, arg2=0, arg3=0, step="prctl"):
    iso_check(ISO_LIBC.prctl(option, arg2, arg3, 0, 0), step)


def iso_mount(source, target, fstype, flags, data=None, step="mount"):
    def enc(s):
        return s.encode() if isinstance(s, str) else s

    iso_check(ISO_LIBC.mount(enc(source), enc(target), enc(fstype), flags, enc(data)),
              step, target)


def iso_available():
    """Whether this system can even try (Linux with a usable libc)."""
    return (sys.platform.startswith("linux") and ISO_LIBC is not None
            and platform.machine() in ISO_SYSCALLS)


def iso_set_parent_death_signal(sig=signal.SIGKILL):
    """Die when the parent dies (never outlive the process that runs us)."""
    if ISO_LIBC is not None and sys.platform.startswith("linux"):
        ISO_LIBC.prctl(ISO_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)


def iso_become_subreaper():
    """Orphans of our descendants become our children (so that we can kill them)."""
    if ISO_LIBC is not None and sys.platform.startswith("linux"):
        return ISO_LIBC.prctl(ISO_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    return False


def iso_runtime_paths(forbidden=()):
    """Directories the Python runtime needs (bound read-only into the new root).

    A directory that holds a forbidden one (e.g. a source checkout on sys.path
    through an editable install, holding the solutions) is left out: workers
    need only the interpreter, the standard library and site-packages.
    """
    wanted = {sys.prefix, sys.base_prefix, sys.exec_prefix, "/usr"}
    wanted |= {p for p in sys.path if p and os.path.isabs(p)}
    bad = [os.path.realpath(f) for f in forbidden]
    real = sorted({os.path.realpath(p) for p in wanted if os.path.isdir(p)})
    # Left out: a sys.path folder holding a forbidden one. Kept: the interpreter's own
    # folders and /usr even then (iso_build_root hides the forbidden folder inside), and a
    # runtime inside a forbidden folder (a venv in the class folder).
    essential = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix,
                                               "/usr")}
    real = [p for p in real
            if p in essential or not any(p == f or f.startswith(p.rstrip("/") + "/")
                                         for f in bad)]
    kept = []
    for p in real:
        if p == "/" or any(p.startswith(k.rstrip("/") + "/") for k in kept):
            continue                      # the root itself, or inside a kept directory
        kept.append(p)
    return kept


def iso_default_plan(features=None, forbidden=()):
    """The isolation to attempt: every feature this process could use."""
    root = os.geteuid() == 0
    plan = {name: True for name in ISO_FEATURES}
    plan["userns"] = not root or os.environ.get("GRADER_SANDBOX_USERNS") == "1"
    plan["setuid"] = root and not plan["userns"]
    if features is not None:
        for name in ISO_FEATURES:
            plan[name] = bool(plan[name] and name in features)
    plan["seccomp"] = plan["seccomp"] and platform.machine() in ISO_AUDIT_ARCH
    plan["binds"] = iso_runtime_paths(forbidden)
    plan["cap_last"] = iso_cap_last()
    return plan


def iso_seccomp_program(machine):
    """The BPF filter: deny ISO_SECCOMP_DENY and clone without CLONE_THREAD; allow the rest."""
    import struct

    def stmt(code, k):
        return (code, 0, 0, k)

    def jump(code, k, jt, jf):
        return (code, jt, jf, k)

    ld_abs, jeq, jge, jset, ret = 0x20, 0x15, 0x35, 0x45, 0x06
    allow, errno = 0x7FFF0000, 0x00050000
    prog = [stmt(ld_abs, 4), jump(jeq, ISO_AUDIT_ARCH[machine], 1, 0),
            stmt(ret, errno | ISO_EPERM), stmt(ld_abs, 0)]
    if machine == "x86_64":                  # x32 system calls: refused
        prog += [jump(jge, 0x40000000, 0, 1), stmt(ret, errno | ISO_EPERM)]
    for name, nr in sorted(ISO_SECCOMP_DENY[machine].items()):
        code = ISO_ENOSYS if name == "clone3" else ISO_EPERM   # clone3: glibc falls back
        prog += [jump(jeq, nr, 0, 1), stmt(ret, errno | code)]
    prog += [jump(jeq, ISO_SECCOMP_CLONE[machine], 0, 3), stmt(ld_abs, 16),
             jump(jset, ISO_CLONE_THREAD, 1, 0), stmt(ret, errno | ISO_EPERM),
             stmt(ret, allow)]
    return b"".join(struct.pack("=HBBI", *ins) for ins in prog), len(prog)


def iso_install_seccomp():
    """Load the filter into this process (and every thread it starts); no_new_privs first."""
    machine = platform.machine()
    if ISO_LIBC is None or machine not in ISO_AUDIT_ARCH:
        raise IsolationError("seccomp", 95, "unsupported")
    code, count = iso_seccomp_program(machine)
    buf = ctypes.create_string_buffer(code, len(code))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = SockFprog(count, ctypes.cast(buf, ctypes.c_void_p))
    iso_check(ISO_LIBC.prctl(ISO_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "seccomp")
    ISO_LIBC.prctl.argtypes = None
    try:
        result = ISO_LIBC.prctl(22, 2, ctypes.byref(prog), 0, 0)   # PR_SET_SECCOMP, FILTER
    finally:
        ISO_LIBC.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong,
                                   ctypes.c_ulong, ctypes.c_ulong]
    iso_check(result, "seccomp")


def iso_cap_last():
    try:
        with open("/proc/sys/kernel/cap_last_cap") as fh:
            return int(fh.read().strip())
    except (OSError, ValueError):
        return 40


def iso_flags_of(path):
    try:
        st = os.statvfs(path).f_flag
    except OSError:
        return 0
    flags = 0
    for st_bit, ms_bit in ISO_ST_TO_MS:
        if st & st_bit:
            flags |= ms_bit
    return flags


def iso_bind(source, target, *, is_file=False, read_only=True):
    if is_file:
        if not os.path.exists(target):
            os.makedirs(os.path.dirname(target), mode=0o755, exist_ok=True)
            with open(target, "w"):
                pass
    else:
        os.makedirs(target, mode=0o755, exist_ok=True)
    iso_mount(source, target, None, ISO_MS_BIND | ISO_MS_REC, step="bind")
    if read_only:
        locked = iso_flags_of(source)
        iso_mount(None, target, None, ISO_MS_REMOUNT | ISO_MS_BIND | ISO_MS_RDONLY | ISO_MS_NOSUID
                  | ISO_MS_NODEV | locked, step="bind_ro")


def iso_hide(path):
    """Cover ``path`` (inside the new root) with an empty read-only tmpfs or /dev/null."""
    if os.path.isdir(path):
        iso_mount("tmpfs", path, "tmpfs", ISO_MS_RDONLY | ISO_MS_NOSUID | ISO_MS_NODEV,
                  "size=4k,mode=0555", step="hide")
    elif os.path.exists(path):
        iso_mount("/dev/null", path, None, ISO_MS_BIND, step="hide")


def iso_build_root(newroot, plan, forbidden, tmp_mb, owner):
    """Mount a tmpfs on ``newroot`` and fill it with read-only binds of the runtime."""
    iso_mount(None, "/", None, ISO_MS_REC | ISO_MS_PRIVATE, step="make_private")
    iso_mount("tmpfs", newroot, "tmpfs", ISO_MS_NOSUID | ISO_MS_NODEV, "size=1m,mode=0755",
              step="root_tmpfs")
    os.makedirs(newroot + ISO_SANDBOX_TMP, mode=0o755)     # first: a runtime may live in /tmp
    iso_mount("tmpfs", newroot + ISO_SANDBOX_TMP, "tmpfs", ISO_MS_NOSUID | ISO_MS_NODEV,
              f"size={int(tmp_mb)}m,mode=01777", step="tmp_tmpfs")
    for path in plan["binds"]:
        iso_bind(path, newroot + path)
    for name in ("lib", "lib64", "lib32", "bin", "sbin"):
        host = "/" + name
        if os.path.islink(host):
            os.symlink(os.readlink(host), newroot + host)
        elif os.path.isdir(host) and not os.path.exists(newroot + host):
            iso_bind(host, newroot + host)
    for path in ("/etc/ld.so.cache", "/etc/localtime"):
        if os.path.isfile(path):
            iso_bind(os.path.realpath(path), newroot + path, is_file=True)
    if plan.get("proc"):                  # mounted by the PID namespace's first process
        os.makedirs(newroot + "/proc", mode=0o555)
    os.makedirs(newroot + "/dev", mode=0o755)
    iso_mount("tmpfs", newroot + "/dev", "tmpfs", ISO_MS_NOSUID | ISO_MS_NOEXEC,
              "size=64k,mode=0755", step="dev_tmpfs")
    for dev in ISO_DEVICES:
        if os.path.exists("/dev/" + dev):
            iso_bind("/dev/" + dev, newroot + "/dev/" + dev, is_file=True, read_only=False)
    for node in plan.get("devices") or ():   # a GPU worker's device nodes (devices.py)
        iso_bind(node, newroot + "/dev/" + os.path.basename(node), is_file=True,
                 read_only=False)
    work = newroot + ISO_SANDBOX_WORKDIR
    os.makedirs(work, mode=0o755, exist_ok=True)
    if owner is not None:
        os.chown(work, owner, owner)
    for path in forbidden:                # a forbidden root inside a bound directory
        real = os.path.realpath(path)
        if any(real == b or real.startswith(b.rstrip("/") + "/") for b in plan["binds"]):
            iso_hide(newroot + real)
    os.chdir(newroot)
    nr = ISO_SYSCALLS[platform.machine()]["pivot_root"]
    iso_check(ISO_LIBC.syscall(nr, b".", b"."), "pivot_root")
    iso_check(ISO_LIBC.umount2(b".", ISO_MNT_DETACH), "detach_old_root")
    os.chdir("/")
    iso_mount(None, "/dev", None, ISO_MS_REMOUNT | ISO_MS_RDONLY | ISO_MS_NOSUID | ISO_MS_NOEXEC,
              step="dev_ro")
    iso_mount(None, "/", None, ISO_MS_REMOUNT | ISO_MS_RDONLY | ISO_MS_NOSUID | ISO_MS_NODEV,
              step="root_ro")
    os.chdir(ISO_SANDBOX_WORKDIR)


def iso_write_id_maps(uid, gid):
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"),
                       ("gid_map", f"{gid} {gid} 1")):
        try:
            with open(f"/proc/self/{name}", "w") as fh:
                fh.write(text)
        except OSError as exc:
            if name != "setgroups":
                raise IsolationError("userns_map", exc.errno or 1, name) from None


def iso_drop_privileges(plan, uid):
    """No capabilities, no new privileges; as root also a uid of the worker's own."""
    iso_prctl(ISO_PR_SET_NO_NEW_PRIVS, 1, step="no_new_privs")
    if not plan.get("caps") and not plan.get("setuid"):
        return
    for cap in range(int(plan.get("cap_last", 40)) + 1):
        ISO_LIBC.prctl(ISO_PR_CAPBSET_DROP, cap, 0, 0, 0)
    ISO_LIBC.prctl(ISO_PR_CAP_AMBIENT, ISO_PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    ISO_LIBC.prctl(ISO_PR_SET_SECUREBITS, ISO_SECUREBITS, 0, 0, 0)
    if plan.get("setuid"):
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
        except OSError as exc:
            raise IsolationError("setuid", exc.errno or 1) from None
    header = (ctypes.c_uint32 * 2)(ISO_CAP_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    nr = ISO_SYSCALLS[platform.machine()]["capset"]
    iso_check(ISO_LIBC.syscall(nr, ctypes.byref(header), ctypes.byref(data)), "capset")


def iso_processes_of_uid(uid=None):
    """How many processes and threads a uid runs now (RLIMIT_NPROC counts them all)."""
    uid = os.getuid() if uid is None else uid
    count = 0
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as fh:
                fields = dict(line.split(":", 1) for line in fh if ":" in line)
            if int(fields["Uid"].split()[0]) == uid:
                count += int(fields.get("Threads", "1").strip() or 1)
        except (OSError, KeyError, ValueError, IndexError):
            continue
    return count


def iso_waiter(child):
    """The parent outside the PID namespace: wait, then die the way the child died."""
    try:
        os.closerange(0, 65536)
    except OSError:
        pass
    while True:
        try:
            _, status = os.waitpid(child, 0)
            break
        except ChildProcessError:
            os._exit(125)
        except InterruptedError:
            continue
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            signal.signal(sig, signal.SIG_DFL)
        except (OSError, ValueError, RuntimeError):
            pass
        os.kill(os.getpid(), sig)
        os._exit(128 + sig)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 125)


def iso_enter(plan, *, workdir, forbidden, tmp_mb, nproc, uid):
    """Isolate the calling (single-threaded, freshly forked) process as far as ``plan`` says.

    Returns the directory the student's files go to. With a PID namespace this
    forks: the parent waits outside and never returns; the child returns as
    PID 1 of the new namespace. Raises IsolationError naming the failed step.
    """
    flags = 0
    for name, bit in (("mount", ISO_CLONE_NEWNS), ("pid", ISO_CLONE_NEWPID),
                      ("net", ISO_CLONE_NEWNET), ("ipc", ISO_CLONE_NEWIPC),
                      ("uts", ISO_CLONE_NEWUTS)):
        if plan.get(name):
            flags |= bit
    if plan.get("userns") and flags:
        euid, egid = os.geteuid(), os.getegid()
        iso_check(ISO_LIBC.unshare(flags | ISO_CLONE_NEWUSER), "unshare_userns")
        iso_write_id_maps(euid, egid)
    elif flags:
        iso_check(ISO_LIBC.unshare(flags), "unshare")
    target = workdir
    if plan.get("mount"):
        owner = uid if plan.get("setuid") else None
        iso_build_root(workdir, plan, forbidden, tmp_mb, owner)
        target = ISO_SANDBOX_WORKDIR
    elif plan.get("setuid"):
        os.chown(workdir, uid, uid)
    if plan.get("pid"):
        child = os.fork()
        if child > 0:
            iso_waiter(child)           # never returns
        iso_set_parent_death_signal()
        if plan.get("proc") and plan.get("mount"):
            # Profile "keras" only: TensorFlow reads /proc/self/exe. A proc of the new PID
            # namespace (it lists the sandbox's own processes only), read-only.
            iso_mount("proc", "/proc", "proc", ISO_MS_RDONLY | ISO_MS_NOSUID | ISO_MS_NODEV
                      | ISO_MS_NOEXEC, step="proc")
    if nproc:
        try:
            resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
        except (ValueError, OSError):
            pass
    parent = os.getppid()
    iso_drop_privileges(plan, uid)
    # A change of credentials clears the parent-death signal: set it again, so that the
    # worker never outlives its waiter (or, without a PID namespace, its zygote).
    iso_set_parent_death_signal()
    if os.getppid() != parent:
        os._exit(125)
    if plan.get("seccomp"):
        iso_install_seccomp()
    os.chdir(target)
    return target


# -- probing: which features work on this machine ----------------------------------------------

def iso_self_test(forbidden):
    """Run inside an isolated probe child: what is actually hidden, closed, dropped."""
    report = {}
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.connect(("192.0.2.1", 9))     # TEST-NET-1: never routed anywhere
            report["network_reachable"] = True
        except OSError:
            report["network_reachable"] = False
        finally:
            s.close()
    except OSError:
        report["network_reachable"] = False
    report["visible_forbidden"] = [p for p in forbidden if os.path.exists(p)]
    try:
        with open("/usr/.grader-probe", "w"):
            pass
        report["runtime_writable"] = True
        os.unlink("/usr/.grader-probe")
    except OSError:
        report["runtime_writable"] = False
    try:
        child = os.fork()
    except OSError:
        report["fork_blocked"] = True
    else:
        if child == 0:
            os._exit(0)
        os.waitpid(child, 0)
        report["fork_blocked"] = False
    try:
        fd = os.memfd_create("probe")
    except (OSError, AttributeError):
        report["memfd_blocked"] = True
    else:
        os.close(fd)
        report["memfd_blocked"] = False
    report["uid"] = os.getuid()
    report["pid"] = os.getpid()
    try:
        with open("/proc/self/status") as fh:
            caps = [line.split()[1] for line in fh if line.startswith("CapEff")]
        report["caps"] = caps[0] if caps else "unknown"
    except OSError:
        report["caps"] = "none-visible"
    import numpy                             # noqa: F401 - the runtime still works
    report["numpy"] = True
    return report


def iso_probe_once(plan, forbidden, workdir):
    """Fork a child that applies ``plan`` and runs the self test; its JSON report."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        code = 0
        try:
            os.setsid()
            where = iso_enter(plan, workdir=workdir, forbidden=forbidden, tmp_mb=4, nproc=0,
                              uid=_iso_probe_uid())
            result = {"ok": True, "workdir": where, "test": iso_self_test(forbidden)}
        except IsolationError as exc:
            result = {"ok": False, "step": exc.step, "error": str(exc)}
        except BaseException as exc:  # noqa: BLE001
            result = {"ok": False, "step": "unknown", "error": f"{type(exc).__name__}: {exc}"}
            code = 1
        try:
            os.write(w, json.dumps(result).encode())
        finally:
            os._exit(code)
    os.close(w)
    chunks = []
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(r)
    os.waitpid(pid, 0)
    try:
        return json.loads(b"".join(chunks).decode() or "{}")
    except ValueError:
        return {"ok": False, "step": "unknown", "error": "no report"}


def _iso_probe_uid():
    return ISO_UID_BASE + os.getpid()


ISO_UID_BASE = 1_900_000_000

# the feature to give up when a step fails
ISO_STEP_FEATURE = {
    "unshare_userns": "userns", "userns_map": "userns", "make_private": "mount",
    "root_tmpfs": "mount", "bind": "mount", "bind_ro": "mount", "dev_tmpfs": "mount",
    "tmp_tmpfs": "mount", "hide": "mount", "pivot_root": "mount", "detach_old_root": "mount",
    "dev_ro": "mount", "root_ro": "mount", "setuid": "setuid", "capset": "caps",
    "no_new_privs": "caps", "seccomp": "seccomp",
}


def iso_probe(forbidden, workdir_factory):
    """The strongest plan that works here, and what the self test saw under it.

    Tries everything, then gives up one feature at a time (the one whose step
    failed); an ``unshare`` failure without a named feature drops the
    namespaces one by one, the least important first.
    """
    if not iso_available():
        return None, {"ok": False, "error": "not Linux"}
    plan = iso_default_plan(forbidden=forbidden)
    order = ["uts", "ipc", "net", "pid", "mount", "userns"]
    last = {}
    for _ in range(12):
        workdir = workdir_factory()
        last = iso_probe_once(plan, forbidden, workdir)
        try:
            os.rmdir(workdir)
        except OSError:
            pass
        if last.get("ok"):
            return plan, last
        feature = ISO_STEP_FEATURE.get(last.get("step"))
        if feature is None or not plan.get(feature):
            feature = next((f for f in order if plan.get(f)), None)
        if feature is None:
            break
        plan[feature] = False
        if feature == "userns":          # without a user namespace, no namespace at all
            for name in ("mount", "pid", "net", "ipc", "uts", "caps"):
                plan[name] = plan[name] and os.geteuid() == 0
    return None, last
