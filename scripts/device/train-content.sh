#!/usr/bin/env bash
# Renders sign crops on a rented GPU machine's cores and trains the content network there
# (see scripts/device/README.md). Needs .device/ from scripts/device/pack_content.py.
set -u
export PYTHONUNBUFFERED=1
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
VERSION=${VERSION:?set VERSION, e.g. c6}; ARCH=${ARCH:-facts-m}; DEVICE=${DEVICE:-cuda}
FIRST_SCENE=${FIRST_SCENE:-8000}; SCENES=${SCENES:-20000}
RENDER_MIN=${RENDER_MIN:-4.0}; TRAIN_MIN=${TRAIN_MIN:-3.0}; EPOCHS=${EPOCHS:-60}; BATCH=${BATCH:-128}
LR=${LR:-0.002}; WORKERS=${WORKERS:-$(nproc)}; TIMEOUT=${TIMEOUT:-560}; PY=${PY:-python3}
t0=$(date +%s)
export SIGNTAX_FONT_ROOT=$PWD/.device/fonts
export LD_LIBRARY_PATH=$PWD/.device/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export PYTHONPATH=$PWD
# Thai must be shaped (raqm with fribidi) and the fonts found, or the crops would teach wrong Thai.
$PY -c "
from PIL import features
from datasets.synth.fonts import installed_fonts, require_raqm
require_raqm(); f = installed_fonts()
print('raqm', features.version('raqm'), 'fribidi', features.version('fribidi'), 'fonts', len(f.thai), len(f.latin), len(f.cjk))
import torch; print('torch', torch.__version__, 'cuda', torch.cuda.is_available())
" || exit 3
nvidia-smi -L 2>/dev/null || true
echo "setup $(( $(date +%s) - t0 )) s, $WORKERS workers"
timeout "$TIMEOUT" $PY -m api.cli.main train-content --version "$VERSION" --arch "$ARCH" \
  --device "$DEVICE" --scenes "$SCENES" --first-scene "$FIRST_SCENE" \
  --render-minutes "$RENDER_MIN" --train-minutes "$TRAIN_MIN" --epochs "$EPOCHS" \
  --batch "$BATCH" --lr "$LR" ${INIT:+--init-from "$INIT"} --workers "$WORKERS" --data-root .device/real-crops.npz \
  --work-dir /tmp/ct --models-dir /tmp/models > "$OUT/train.log" 2>&1
echo "train rc $? after $(( $(date +%s) - t0 )) s"
tr '\r' '\n' < "$OUT/train.log" | grep -v -E "[0-9]+/[0-9]+ \[|crop/s\]" | tail -80
M=/tmp/models/content-classifier/$VERSION
if [ -f "$M/weights.pt" ]; then
  cp "$M/metrics.json" "$M/model_card.md" "$M/weights.pt" "$OUT/" && sha256sum "$M/weights.pt"
else
  cp /tmp/ct/run-"$VERSION"/last.pt "$OUT/" 2>/dev/null  # an unfinished run: its last epoch
fi
ls -la "$OUT"; echo "total $(( $(date +%s) - t0 )) s"
