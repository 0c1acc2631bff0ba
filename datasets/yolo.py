"""YOLO detection format: label lines ``class cx cy w h`` normalised to the image."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from datasets.errors import DatasetFormatError


@dataclass(frozen=True, slots=True)
class YoloBox:
    class_id: int
    cx: float
    cy: float
    w: float
    h: float

    def __post_init__(self) -> None:
        if self.class_id < 0:
            raise DatasetFormatError(f"class_id must be >= 0, got {self.class_id}")
        for name in ("cx", "cy", "w", "h"):
            v = getattr(self, name)
            if not -0.01 <= v <= 1.01:
                raise DatasetFormatError(f"{name} must be normalised to [0, 1], got {v}")

    def to_line(self) -> str:
        return f"{self.class_id} {self.cx:.6f} {self.cy:.6f} {self.w:.6f} {self.h:.6f}"

    def xyxy_px(self, size_wh: tuple[int, int]) -> tuple[float, float, float, float]:
        w_px, h_px = size_wh
        return (
            (self.cx - self.w / 2) * w_px,
            (self.cy - self.h / 2) * h_px,
            (self.cx + self.w / 2) * w_px,
            (self.cy + self.h / 2) * h_px,
        )


def read_labels(path: Path) -> tuple[YoloBox, ...]:
    """Read one YOLO label file; a missing file means no objects (YOLO convention)."""
    if not path.exists():
        return ()
    boxes = []
    for lineno, raw in enumerate(path.read_text().splitlines(), start=1):
        parts = raw.split()
        if not parts:
            continue
        if len(parts) != 5:
            raise DatasetFormatError(f"{path}:{lineno}: expected 5 fields, got {len(parts)}")
        try:
            boxes.append(YoloBox(int(parts[0]), *(float(p) for p in parts[1:])))
        except (ValueError, DatasetFormatError) as exc:
            raise DatasetFormatError(f"{path}:{lineno}: {exc}") from exc
    return tuple(boxes)


def write_labels(path: Path, boxes: tuple[YoloBox, ...] | list[YoloBox]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(b.to_line() + "\n" for b in boxes))
