"""Packs what the content network's training needs on a rented GPU machine into ``.device/``.

That machine has torch, numpy, OpenCV and Pillow, but no fonts, no ``libfribidi`` (Pillow's
bundled raqm loads it to shape Thai) and no photos; at most 64 MiB travel with the checkout.
So this writes (see scripts/device/README.md):

- ``.device/fonts/``: the Thai and Latin faces the renderer uses, at their Debian paths, and the
  first Chinese face cut down to the characters the data engine writes (the full Noto CJK
  collection is 20 MB; the renderer writes some thirty Chinese characters);
- ``.device/lib/libfribidi.so.0``;
- ``.device/real-crops.npz``: the real no-Thai training crops, JPEG-packed.

Run here with the project's venv: ``.venv/bin/python scripts/device/pack_content.py``.
"""

from __future__ import annotations

import argparse
import ctypes.util
import shutil
import string
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def vocabulary_characters() -> str:
    """Every non-ASCII character in the data engine's source (its words live there), plus
    printable ASCII: a cut-down font must cover whatever the renderer may write with it."""
    chars = set(string.printable.strip()) | {" "}
    for path in sorted((ROOT / "datasets" / "synth").glob("*.py")):
        chars |= {ch for ch in path.read_text(encoding="utf-8") if ord(ch) > 127}
    return "".join(sorted(chars))


def subset_collection_face(src: Path, dst: Path, text: str) -> None:
    """Write the Traditional Chinese face of ``src`` (a .ttc), cut to ``text``, as a one-face
    .ttc at ``dst`` (the renderer picks the face whose name ends in " TC")."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont

    from datasets.synth.fonts import _collection_index

    face = TTFont(str(src), fontNumber=_collection_index(src))
    options = subset.Options()
    options.name_IDs = ["*"]  # keep the family name: it is how the face is found
    options.layout_features = ["*"]
    sub = subset.Subsetter(options)
    sub.populate(text=text)
    sub.subset(face)
    collection = TTCollection()
    collection.fonts = [face]
    dst.parent.mkdir(parents=True, exist_ok=True)
    collection.save(str(dst))


def pack_fonts(out: Path) -> None:
    from datasets.synth.fonts import installed_fonts, require_raqm

    require_raqm()
    fonts = installed_fonts()
    for path in (*fonts.thai, *fonts.latin):
        target = out / path.relative_to(fonts.root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    if fonts.cjk:
        src = fonts.cjk[0]
        subset_collection_face(src, out / src.relative_to(fonts.root), vocabulary_characters())


def pack_fribidi(out: Path) -> None:
    name = ctypes.util.find_library("fribidi")
    candidates = [Path(p) / "libfribidi.so.0" for p in ("/usr/lib/x86_64-linux-gnu", "/usr/lib")]
    found = next((p for p in candidates if p.is_file()), None)
    if found is None:
        raise SystemExit(f"libfribidi.so.0 not found (ctypes sees {name!r}); "
                         "install Debian's libfribidi0")
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(found.resolve(), out / "libfribidi.so.0")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / ".device")
    ap.add_argument("--data-root", type=Path, default=ROOT.parent / "shared/data/real")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    pack_fonts(args.out / "fonts")
    pack_fribidi(args.out / "lib")
    from training.content_data import empty_content_set, save_crops, with_real_negatives

    real = with_real_negatives(empty_content_set(), args.data_root)
    save_crops(real, args.out / "real-crops.npz")
    sizes = {p.relative_to(args.out): p.stat().st_size for p in args.out.rglob("*")
             if p.is_file() and "pack" not in p.parts}
    for rel, size in sorted(sizes.items()):
        print(f"{size / 2**20:8.2f} MiB  {rel}")
    print(f"{sum(sizes.values()) / 2**20:8.2f} MiB in all, {len(real.images)} real crops")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
