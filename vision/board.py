"""The printable ChArUco reference board: generate it, and find it in a photo.

A board lying flat in the sign plane gives a homography from image pixels to centimetres in
that plane, with no camera intrinsics needed (measurement.md §2.1). ChArUco corners are
sub-pixel chessboard corners identified by their ArUco markers, so a partly hidden board
still works.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from vision.errors import MeasurementError

_DICTIONARIES = {"DICT_5X5_100": cv2.aruco.DICT_5X5_100, "DICT_4X4_50": cv2.aruco.DICT_4X4_50}
MIN_BOARD_CORNERS = 6  # a homography needs 4; 6+ gives redundancy against one bad corner


@dataclass(frozen=True, slots=True)
class BoardSpec:
    squares_xy: tuple[int, int] = (7, 5)
    square_cm: float = 5.5
    marker_cm: float = 4.1
    dictionary: str = "DICT_5X5_100"

    def __post_init__(self) -> None:
        if min(self.squares_xy) < 3:
            raise ValueError(f"squares_xy must be at least 3x3, got {self.squares_xy}")
        if not 0 < self.marker_cm < self.square_cm:
            raise ValueError(
                f"marker_cm must be in (0, square_cm={self.square_cm}), got {self.marker_cm}"
            )
        if self.dictionary not in _DICTIONARIES:
            raise ValueError(f"dictionary must be one of {sorted(_DICTIONARIES)}, got {self.dictionary}")

    @property
    def size_cm(self) -> tuple[float, float]:
        return self.squares_xy[0] * self.square_cm, self.squares_xy[1] * self.square_cm

    def describe(self) -> str:
        w, h = self.size_cm
        return (f"ChArUco {self.squares_xy[0]}x{self.squares_xy[1]} squares of {self.square_cm:g} cm "
                f"({w:g} x {h:g} cm, {self.dictionary})")

    def cv_board(self) -> cv2.aruco.CharucoBoard:
        dictionary = cv2.aruco.getPredefinedDictionary(_DICTIONARIES[self.dictionary])
        return cv2.aruco.CharucoBoard(self.squares_xy, self.square_cm, self.marker_cm, dictionary)


DEFAULT_BOARD = BoardSpec()  # 38.5 x 27.5 cm: fits A3 paper with a margin


@dataclass(frozen=True, slots=True, eq=False)
class BoardObservation:
    """Board corners found in a photo, and the image-to-plane homography (plane in cm)."""

    spec: BoardSpec
    image_pts_px: np.ndarray  # (N, 2)
    plane_pts_cm: np.ndarray  # (N, 2)
    image_to_plane: np.ndarray  # 3x3

    @property
    def n_corners(self) -> int:
        return int(self.image_pts_px.shape[0])


def homography(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    h, _ = cv2.findHomography(src.astype(np.float64), dst.astype(np.float64), 0)
    if h is None:
        raise MeasurementError("board corners are degenerate (collinear); cannot fit a homography")
    return h


DETECT_MAX_SIDE_PX = 4096  # marker search on larger photos runs on a reduced copy


def detect_board(pixels_bgr: np.ndarray, spec: BoardSpec = DEFAULT_BOARD) -> BoardObservation | None:
    """Find the board; None when absent or too few corners are visible.

    Markers are searched on a copy reduced to ``DETECT_MAX_SIDE_PX`` (a 100 MP photo would take
    far too long at full size); the chessboard corners are then refined on the full image.
    """
    grey = cv2.cvtColor(pixels_bgr, cv2.COLOR_BGR2GRAY)
    scale = min(1.0, DETECT_MAX_SIDE_PX / max(grey.shape))
    small = grey if scale == 1.0 else cv2.resize(grey, None, fx=scale, fy=scale,
                                                 interpolation=cv2.INTER_AREA)
    board = spec.cv_board()
    detector = cv2.aruco.CharucoDetector(board)
    ch_corners, ch_ids, _, _ = detector.detectBoard(small)
    if ch_ids is None or len(ch_ids) < MIN_BOARD_CORNERS:
        return None
    if scale < 1.0:
        full = (ch_corners.reshape(-1, 1, 2) / scale).astype(np.float32)
        win = max(3, int(round(1.5 / scale)))
        criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 40, 0.01)
        ch_corners = cv2.cornerSubPix(grey, full, (win, win), (-1, -1), criteria)
    obj, img = board.matchImagePoints(ch_corners, ch_ids)
    image_pts = img.reshape(-1, 2).astype(np.float64)
    plane_pts = obj.reshape(-1, 3)[:, :2].astype(np.float64)
    return BoardObservation(spec, image_pts, plane_pts, homography(image_pts, plane_pts))


def render_board(spec: BoardSpec = DEFAULT_BOARD, *, dpi: int = 300,
                 margin_cm: float = 0.5) -> Image.Image:
    """The board as a print-ready greyscale page at exactly ``dpi`` (board + white margin + caption)."""
    px_per_cm = dpi / 2.54
    w_cm, h_cm = spec.size_cm
    board_px = (round(w_cm * px_per_cm), round(h_cm * px_per_cm))
    pattern = spec.cv_board().generateImage(board_px, marginSize=0, borderBits=1)
    margin_px = round(margin_cm * px_per_cm)
    caption_px = round(0.8 * px_per_cm)  # keeps the page inside A3 (42 x 29.7 cm)
    page = Image.new("L", (board_px[0] + 2 * margin_px, board_px[1] + 2 * margin_px + caption_px), 255)
    page.paste(Image.fromarray(pattern), (margin_px, margin_px))
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=max(12, round(0.4 * px_per_cm)))
    y = margin_px + board_px[1] + round(0.15 * px_per_cm)
    draw.text((margin_px, y), f"SignTax reference board: {spec.describe()}. "
              "Print at 100% (no fit-to-page); check one square measures "
              f"{spec.square_cm:g} cm. Hold flat on the sign face.", fill=0, font=font)
    return page


def write_board(path: Path, spec: BoardSpec = DEFAULT_BOARD, *, dpi: int = 300) -> Path:
    """Write the board as PDF (page size = physical size) or PNG/TIFF with DPI metadata."""
    page = render_board(spec, dpi=dpi)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        page.save(path, format="PDF", resolution=float(dpi))
    elif suffix in (".png", ".tif", ".tiff"):
        page.save(path, dpi=(dpi, dpi))
    else:
        raise ValueError(f"board file must end in .pdf, .png or .tiff, got {path.name!r}")
    return path
