"""Where the Keras lab's workers train, and whether it changes a verdict: one short run.

    python bench/keras_lab_device.py            # the plan here, then the lab on each device
    python bench/keras_lab_device.py --stand-in /tmp/nvidia0   # the GPU path without a GPU

Prints the batch's plan (grader.sandbox.devices.keras_device_plan: GPU or CPU, and why),
the Keras backend of the workers, then for each device the plan allows (the CPU always,
the GPU where it is usable): the devices the worker's TensorFlow or JAX reports, the
start-up and training seconds of the reference lab's ``build_mlp`` + ``compile_and_fit``
on the moons (the lab's end-to-end check: its data and settings) and the figures the checks compare (validation accuracy,
epochs run, last val_loss). On a GPU machine this is the proof the lab runs there; the
two devices must give the same verdict (validation accuracy on the same side of the
check's threshold; epochs and losses may differ a little in float32).

Exit status 0 when every device ran and their verdict figures agree, else 1.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader import config  # noqa: E402
from grader.sandbox import devices  # noqa: E402
from grader.sandbox.runner import SandboxLimits, Worker  # noqa: E402


def _lab_check():
    """The lab's end-to-end check (tests/checks/keras_lab/public.py): its data and settings."""
    import importlib.util

    path = ROOT / "tests" / "checks" / "keras_lab" / "public.py"
    spec = importlib.util.spec_from_file_location("keras_lab_public", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(plan: dict) -> dict:
    files = {"keras_lab.py": (config.SOLUTIONS_DIR / "keras_lab.py").read_bytes(),
             "keras_probe.py": (config.PACKAGE_DIR / "sandbox" / "keras_probe.py").read_bytes()}
    check = _lab_check()
    X, Y, X_val, Y_val = check.moons()
    fit_args = [check.FIT[k] for k in ("lr", "batch_size", "epochs", "patience", "seed")]
    started = time.monotonic()
    with Worker(files, limits=SandboxLimits(keras_device=plan).profile("keras")) as worker:
        seen = worker.call("keras_probe", "devices")
        ready = time.monotonic() - started
        fit_started = time.monotonic()
        fit = worker.call("keras_probe", "fit_mlp", 2, check.FIT["hidden"], 1, 0.0, X, Y,
                          X_val, Y_val, *fit_args, "student")
        fitted = time.monotonic() - fit_started
    if not (seen.ok and fit.ok):
        bad = fit if seen.ok else seen
        return {"ok": False, "why": f"{bad.status}: {str(bad.info)[:300]}"}
    history = fit.value["history"]
    return {"ok": True, "devices": seen.value, "ready_s": round(ready, 1),
            "fit_s": round(fitted, 1), "val_accuracy": fit.value["val_accuracy"],
            "epochs_run": fit.value["epochs_run"],
            "last_val_loss": round(history["val_loss"][-1], 6) if history else None}


def main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stand-in", metavar="NODE", default=None,
                        help="take this character device for an NVIDIA GPU (to try the GPU "
                        "path on a machine without one; CUDA then finds no GPU)")
    args = parser.parse_args(argv)
    if args.stand_in:
        devices.nvidia_device_nodes = lambda dev="/dev": [str(Path(args.stand_in).resolve())]
    plan = devices.keras_device_plan("auto")
    print(f"plan: {plan['device']} ({plan['reason']}{': ' + plan['detail'] if plan['detail'] else ''})"
          f", nodes {plan['nodes']}, cgroup {plan['cgroup']}")
    print(f"Keras backend of the workers: {devices.keras_lab_backend()}")
    runs = {"cpu": run(devices.keras_device_plan("cpu"))}
    if plan["device"] == "gpu":
        runs["gpu"] = run(plan)
    for device, figures in runs.items():
        print(f"{device}: {figures}")
    ok = all(r["ok"] for r in runs.values())
    if ok and "gpu" in runs and not args.stand_in and not any(
            d.startswith("GPU") for d in runs["gpu"]["devices"]):
        print("the worker was given the GPU, but its Keras trained on the CPU (CUDA did not "
              "start in the sandbox)")
        ok = False
    if ok and len(runs) == 2:
        threshold = _lab_check().MIN_VAL_ACCURACY
        same = ((runs["cpu"]["val_accuracy"] >= threshold)
                == (runs["gpu"]["val_accuracy"] >= threshold))
        print("same verdicts on both devices:", same)
        ok = same
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
