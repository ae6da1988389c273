#!/usr/bin/env bash
# The GPU proof, as one call of a lent GPU machine (docs/keras-lab.md, "The proof script").
#
#   bash bench/device_proof.sh            # on the GPU machine, from the repository root
#   SKIP_INSTALL=1 PY=.venv/bin/python DEVICE=cpu bash bench/device_proof.sh   # rehearse it here
#
# Needs Keras with JAX (the lent machines have JAX with CUDA and no TensorFlow): the keras,
# namex and optree wheels for Python 3.12 in .whl/ (ignored by .git/info/exclude). Prints,
# each step timed: the GPU; the lab's plan and its end-to-end check on the CPU and the GPU
# (bench/keras_lab_device.py); the Keras baseline's fits on both (bench/bench_keras.py);
# `grader compare --device gpu` of the reference (numpy vs Keras in float64); and a batch of
# assignment 3 graded with `--keras-device auto` (two reference students, one linear
# network; its summary says where the lab trained and why; BATCH_DEVICE=gpu insists).
# The logs, the batch's gradebook and summary go to $OUT (default /tmp/device-proof).
set -u
PY=${PY:-python3}
OUT=${OUT:-/tmp/device-proof}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1 KERAS_BACKEND=jax
status=0
step() { echo; echo "== $1 ($(date +%T))"; }

if [ -z "${SKIP_INSTALL:-}" ]; then
    step "install keras, namex, optree and this package (no network)"
    # the interpreter's own site-packages: the sandbox's zygote runs `python -I`
    "$PY" -m pip install -q --no-index --no-deps --no-compile .whl/*.whl || exit 1
    "$PY" -m pip install -q --no-index --no-deps --no-build-isolation -e . \
        || echo "(no editable install: python -m grader runs from the checkout)"
fi
GRADER=("$PY" -m grader)
command -v nvidia-smi >/dev/null && nvidia-smi -L
"$PY" -c "import jax, keras; print('jax', jax.__version__, jax.devices(), '| keras', keras.__version__)"

step "the Keras lab on the CPU and the GPU"
timeout 240 "$PY" bench/keras_lab_device.py 2>&1 | tee "$OUT/lab_device.log"
[ "${PIPESTATUS[0]}" = 0 ] || status=1

step "the Keras baseline's fits (float64), CPU and GPU"
JAX_ENABLE_X64=1 timeout 150 "$PY" bench/bench_keras.py --repeats 2 --skip-large 2>&1 \
    | tee "$OUT/bench_keras.log"
[ "${PIPESTATUS[0]}" = 0 ] || status=1

step "grader compare --device ${DEVICE:-gpu}, the reference on moons"
JAX_ENABLE_X64=1 timeout 90 "${GRADER[@]}" compare --path solutions --dataset moons \
    --hidden 8 --epochs 20 --batch-size 16 --lr 0.3 --device "${DEVICE:-gpu}" --lang en 2>&1 \
    | tee "$OUT/compare_gpu.log"
[ "${PIPESTATUS[0]}" = 0 ] || status=1

step "a batch of assignment 3 with --keras-device ${BATCH_DEVICE:-auto}"
class="${TMPDIR:-/tmp}/device-proof-class3"
graded="${TMPDIR:-/tmp}/device-proof-grade"
rm -rf "$class" && mkdir -p "$class"
for who in ref.one ref.two linear.net; do
    mkdir -p "$class/$who" && cp solutions/rnn.py solutions/keras_lab.py "$class/$who/"
done
# a network without a hidden activation: the lab's checks must take points from it
sed -i 's/activation="relu"/activation="linear"/; s/activation="tanh"/activation="linear"/' \
    "$class/linear.net/keras_lab.py"
# what the GPU runs meanwhile: the Keras workers' processes should appear with their memory
if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-compute-apps=pid,process_name,used_memory --format=csv -l 2 \
        >"$OUT/nvidia_smi.log" 2>&1 &
    smi=$!
fi
timeout 300 "${GRADER[@]}" grade "$class" --assignment 3 --keras-device "${BATCH_DEVICE:-auto}" --jobs 3 \
    --seed 1 --lang en --out "$graded" 2>&1 | tee "$OUT/grade.log"
rc=${PIPESTATUS[0]}
[ -n "${smi:-}" ] && kill "$smi" && sort -u "$OUT/nvidia_smi.log"
echo "grader grade exit status: $rc"
[ "$rc" = 0 ] || status=1
cp "$graded/gradebook.csv" "$graded/summary.md" "$OUT/" 2>/dev/null && cat "$OUT/gradebook.csv"
grep -i "keras workers" "$graded/summary.md"
echo; echo "device proof exit status: $status"
exit $status
