"""Operating-system isolation of a worker, where the system allows it.

Called in the child between fork and exec (see runner._preexec): keep it to
plain system calls, no imports of heavy modules, no threads.
"""

import ctypes
import os

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000

_STATUS = {"network": None}
try:  # loaded in the parent: the child between fork and exec only calls it
    _LIBC = ctypes.CDLL(None, use_errno=True)
except OSError:
    _LIBC = None


def enter_private_network() -> bool:
    """Move the calling process into a new, empty network namespace.

    As root (or with CAP_SYS_ADMIN) a plain CLONE_NEWNET works; otherwise an
    unprivileged user namespace is tried. Returns False where the kernel
    refuses both; the caller reports that the network was not isolated.
    """
    libc = _LIBC
    if libc is None:
        return False
    if libc.unshare(CLONE_NEWNET) == 0:
        return True
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
        return False
    try:
        with open("/proc/self/setgroups", "w") as fh:
            fh.write("deny")
        with open("/proc/self/uid_map", "w") as fh:
            fh.write(f"{uid} {uid} 1")
        with open("/proc/self/gid_map", "w") as fh:
            fh.write(f"{gid} {gid} 1")
    except OSError:
        pass
    return True


def network_isolation_available() -> bool:
    """Whether a child can get a private network namespace here (probed once)."""
    if _STATUS["network"] is None:
        pid = os.fork()
        if pid == 0:
            os._exit(0 if enter_private_network() else 1)
        _, status = os.waitpid(pid, 0)
        _STATUS["network"] = os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    return _STATUS["network"]
