#!/usr/bin/env bash
# Trains the detector on a rented GPU machine from a pack made here (see scripts/device/README.md).
set -u
export PYTHONUNBUFFERED=1
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
DATA=${DATA:-.device/pack/data.yaml}
DEV=${DEV:-0}; HOURS=${HOURS:-0.115}; WORKERS=${WORKERS:-12}; TRAIN_TIMEOUT=${TRAIN_TIMEOUT:-510}
PY=${PY:-python3}
VERSION=${VERSION:?set VERSION, e.g. v4}; INIT=${INIT:-}; REAL_REPEAT=${REAL_REPEAT:-1}
t0=$(date +%s)
[ -f .device/pack.tgz ] && [ ! -d .device/pack ] && tar -C .device -xzf .device/pack.tgz
$PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 3
export PYTHONPATH=/tmp/site:$PWD/scripts/device/stubs:$PWD
$PY -c "import torch, ultralytics; print('torch', torch.__version__, 'cuda', torch.cuda.is_available(), 'ultralytics', ultralytics.__version__)" || exit 4
nvidia-smi -L 2>/dev/null || true
echo "setup $(( $(date +%s) - t0 )) s"
timeout "$TRAIN_TIMEOUT" $PY -m api.cli.main train --version "$VERSION" --dataset "$DATA" ${INIT:+--init-from "$INIT"} \
  --model yolo11s-pose.yaml --real-repeat "$REAL_REPEAT" \
  --work-dir /tmp/w --models-dir /tmp/models --imgsz 640 --hours "$HOURS" --epochs 400 \
  --batch 32 --device "$DEV" --workers "$WORKERS" > "$OUT/train.log" 2>&1
echo "train rc $? after $(( $(date +%s) - t0 )) s"
grep -v -E "[0-9]+/[0-9]+ .*it/s\]|s/it\]" "$OUT/train.log" | tail -60
M=/tmp/models/sign-detector/$VERSION; R=/tmp/w/runs/sign-detector-$VERSION
cp "$R/results.csv" "$R/args.yaml" "$OUT/" 2>/dev/null
if [ -f "$M/weights.pt" ]; then
  cp "$M/metrics.json" "$M/model_card.md" "$OUT/"; W="$M/weights.pt"
else
  W=/tmp/best.pt
  $PY -c "from ultralytics.utils.torch_utils import strip_optimizer as s; s('$R/weights/best.pt', '$W')" || W="$R/weights/best.pt"
fi
split -b 15M -d "$W" "$OUT/weights.pt.part" && sha256sum "$W"
ls -la "$OUT"; echo "total $(( $(date +%s) - t0 )) s"
