"""One photo in, every sign's observation out: detect → refine corners → measure → content.

Which scale applies to which sign (documented in the README):
* a reference board applies to the signs it lies on or beside (board centre within the sign's
  box grown by one board size): it must be flat in that sign's plane;
* a measured distance applies to the sign under the aim point (the image centre), since a
  laser meter clipped to the phone ranges along the optical axis.

Signs below the detector's confidence line are dropped, except the one the board marks (its
centre on the sign, or else the nearest as above) when no sure sign is that one: it is kept
from ``BOARD_SIGN_CONFIDENCE_MIN``, with a note; the surveyor put the board there because a
sign is there.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from vision.board import DEFAULT_BOARD, BoardObservation, BoardSpec, detect_board
from vision.corners import order_clockwise, refine_corners, refine_quad
from vision.detector import DetectorConfig, YoloDetector
from vision.errors import MeasurementError
from vision.geometry import NoiseModel, measure_with_board, measure_with_distance
from vision.image import DEFAULT_MAX_PIXELS, load_photo, load_preview
from vision.plane_outline import outline_in_board_plane
from vision.sign_crop import SIGN_CROP_MAX_SIDE_PX, cut_sign_crop
from vision.types import (
    Detection,
    Measurement,
    Photo,
    PhotoScan,
    SignClass,
    SignContent,
    SignObservation,
)

ContentFn = Callable[[np.ndarray], SignContent]

CALIBRATED_FOCAL_REL = 0.005
OUTLINE_NOT_FOUND_REASON = (
    "the sign's outline (4 corners) was not found, only the detector's box: an officer can "
    "mark the corners, or retake the photo closer and more square-on"
)
NO_SCALE_REASON = (
    "no metric scale: give the distance to the sign (--distance-m) with a focal length "
    "(EXIF or --focal-px), or photograph the reference board flat on the sign"
)


@dataclass(frozen=True, slots=True)
class ScaleInputs:
    distance_m: float | None = None
    focal_px: float | None = None  # overrides the EXIF-derived focal length
    board: BoardSpec = DEFAULT_BOARD

    def __post_init__(self) -> None:
        if self.distance_m is not None and not 0.3 <= self.distance_m <= 200:
            raise ValueError(f"distance_m must be between 0.3 and 200 m, got {self.distance_m}")
        if self.focal_px is not None and not self.focal_px > 0:
            raise ValueError(f"focal_px must be positive, got {self.focal_px}")


BOARD_SIGN_CONFIDENCE_MIN = 0.1


@dataclass(frozen=True, slots=True)
class PipelineParams:
    noise: NoiseModel = field(default_factory=NoiseModel)
    seed: int = 0  # Monte-Carlo intervals are reproducible per photo
    # Detections below ``confidence_min`` are dropped, except the one sign the surveyor's
    # reference board measures: the board is the surveyor's own mark that a sign is there, so
    # that sign is kept from ``board_sign_confidence_min`` on (the detector must be built to
    # return detections down to the lower of the two; ``load_scanner`` does).
    confidence_min: float = 0.25
    board_sign_confidence_min: float = BOARD_SIGN_CONFIDENCE_MIN
    # Signs whose content is read at once. The OCR runs as tesseract subprocesses and the
    # content network outside the GIL, so threads use the cores; content is most of a scan.
    content_workers: int = field(default_factory=lambda: min(4, os.cpu_count() or 1))

    def __post_init__(self) -> None:
        if not 0.0 < self.board_sign_confidence_min <= 1.0 or not 0.0 < self.confidence_min <= 1.0:
            raise ValueError(f"confidences must be in (0, 1], got {self.confidence_min}, "
                             f"{self.board_sign_confidence_min}")
        if self.content_workers < 1:
            raise ValueError(f"content_workers must be >= 1, got {self.content_workers}")

    @property
    def detector_floor(self) -> float:
        """The lowest confidence the scanner can use: what the detector must return."""
        return min(self.confidence_min, self.board_sign_confidence_min)


def _board_distance_px(det: Detection, board: BoardObservation) -> float:
    """Distance from the board's centre to the sign's box (0 when inside)."""
    x1, y1, x2, y2 = det.bbox_xyxy
    cx, cy = board.image_pts_px.mean(axis=0)
    return float(np.hypot(max(x1 - cx, 0.0, cx - x2), max(y1 - cy, 0.0, cy - y2)))


def _board_sign_index(detections: list[Detection], board: BoardObservation | None) -> int | None:
    """The one sign the board measures: the nearest, if within about two board sizes.

    A surveyor holds the board on (or just below) the sign being measured; other signs in the
    photo may not share its plane, so they get no board measurement.
    """
    if board is None or not detections:
        return None
    # Inner corners span about two thirds of the printed board.
    reach = 3.0 * float(np.max(np.ptp(board.image_pts_px, axis=0)))
    distances = [_board_distance_px(d, board) for d in detections]
    best = int(np.argmin(distances))
    return best if distances[best] <= reach else None


BOARD_SIGN_NOTE = "kept below the detector's confidence line: the reference board is on it"


def _with_board_sign(strong: list[Detection], weak: list[Detection],
                     board: BoardObservation | None) -> tuple[list[Detection], int | None]:
    """``strong`` plus the ``weak`` sign the board marks, if no strong one is that sign; and
    the index of the added sign (None if none).

    The board marks the sign its centre lies on; held just below a sign, the sign it would
    measure (:func:`_board_sign_index`). A weak sign under the board wins over a strong one
    merely near it: otherwise the board would measure the neighbouring sign in another plane.
    """
    if board is None or any(_board_distance_px(d, board) == 0.0 for d in strong):
        return strong, None
    under = [d for d in weak if _board_distance_px(d, board) == 0.0]
    if under:
        return [*strong, max(under, key=lambda d: d.confidence)], len(strong)
    if _board_sign_index(strong, board) is not None:
        return strong, None
    i = _board_sign_index(weak, board)
    return (strong, None) if i is None else ([*strong, weak[i]], len(strong))


def _is_the_board(det: Detection, board: BoardObservation | None) -> bool:
    """The detector may mistake the black-and-white board for a sign; drop that detection."""
    if board is None:
        return False
    x1, y1, x2, y2 = det.bbox_xyxy
    pts = board.image_pts_px
    bx1, by1 = pts.min(axis=0)
    bx2, by2 = pts.max(axis=0)
    inter = max(0.0, min(x2, bx2) - max(x1, bx1)) * max(0.0, min(y2, by2) - max(y1, by1))
    return inter > 0.5 * (x2 - x1) * (y2 - y1)


def sign_crop(pixels_bgr: np.ndarray, det: Detection,
              max_side_px: int = SIGN_CROP_MAX_SIDE_PX) -> np.ndarray:
    """The sign face, rectified from the detection's corners (:mod:`vision.sign_crop`)."""
    return cut_sign_crop(pixels_bgr, det.corners_px, max_side_px)


class Scanner:
    """Composes the stages; built once per process (the detector is the expensive part)."""

    def __init__(self, detector: YoloDetector, content: ContentFn,
                 params: PipelineParams = PipelineParams(),
                 content_version: str | None = None,
                 content_analysis: str | None = None) -> None:
        self.detector = detector
        self.content = content
        self.params = params
        # the content network's version folder name; None when the OCR reads alone
        self.content_version = content_version
        # the content analysis's fingerprint (vision.content.fingerprint); None: not known
        self.content_analysis = content_analysis

    @property
    def model_version(self) -> str:
        return getattr(self.detector, "version", "unknown")

    def scan(self, photo: Photo, *, distance_m: float | None = None,
             focal_px: float | None = None, board: BoardSpec = DEFAULT_BOARD) -> PhotoScan:
        """Scan a decoded photo (the detector sees the full-resolution pixels)."""
        scale = ScaleInputs(distance_m=distance_m, focal_px=focal_px, board=board)
        return self._scan_detected(photo, self.detector.detect(photo), scale)

    def scan_data(self, data: bytes, *, source_name: str = "",
                  max_pixels: int = DEFAULT_MAX_PIXELS, distance_m: float | None = None,
                  focal_px: float | None = None, board: BoardSpec = DEFAULT_BOARD) -> PhotoScan:
        """Scan encoded photo bytes the fast way; what ``signtax scan`` and the service run.

        The detector sees a preview decoded at reduced scale (it shrinks every photo to its
        input size anyway); the full photo is decoded only when a sign was found, since corners,
        board, measurement and content need every pixel. A photo without signs (most frames
        from a vehicle camera) costs a preview decode and one inference. Raises ``InvalidImage``
        as ``load_photo`` does.
        """
        scale = ScaleInputs(distance_m=distance_m, focal_px=focal_px, board=board)
        preview = load_preview(data, min_long_side_px=self.detector.input_size_px,
                               source_name=source_name, max_pixels=max_pixels)
        detections = self.detector.detect_preview(preview)
        if not any(d.confidence >= self.params.confidence_min for d in detections):
            # No sure sign: the board is then looked for on the preview (a board too small to
            # find there measures nothing either). Found, a less sure sign under it is kept.
            board_found = detect_board(preview.pixels_bgr, scale.board) is not None
            if not (board_found and detections):
                return PhotoScan(source_name, preview.full_size_wh, preview.camera, (),
                                 board_found=board_found, **self._versions())
        photo = load_photo(data, source_name=source_name, max_pixels=max_pixels)
        return self._scan_detected(photo, detections, scale)

    def _scan_detected(self, photo: Photo, detected: tuple[Detection, ...],
                       scale: ScaleInputs) -> PhotoScan:
        rng = np.random.default_rng(self.params.seed)
        board_obs = detect_board(photo.pixels_bgr, scale.board)
        candidates = [d for d in detected if not _is_the_board(d, board_obs)]
        line = self.params.confidence_min
        detections, kept_for_board = _with_board_sign(
            [d for d in candidates if d.confidence >= line],
            [d for d in candidates if self.params.board_sign_confidence_min <= d.confidence < line],
            board_obs)
        board_sign = _board_sign_index(detections, board_obs)
        measured = []  # the random draws of the intervals stay in sign order
        for i, det in enumerate(detections):
            det = self._refine(photo, det, board_obs if i == board_sign else None)
            measured.append((det, *self._measure(photo, det, scale,
                                                 board_obs if i == board_sign else None, rng,
                                                 board_elsewhere=board_obs is not None)))
        contents = self._read_contents(photo, [det for det, _, _ in measured])
        observations = []
        for i, ((det, measurement, reason), content) in enumerate(
                zip(measured, contents, strict=True)):
            if det.sign_class is SignClass.LED_DISPLAY and not content.moving_display:
                # A still photo cannot show motion; the detector's LED-screen class is the cue.
                content = _noted(replace(content, moving_display=True),
                                 "moving display: detected as an LED screen")
            if i == kept_for_board:
                content = _noted(content, BOARD_SIGN_NOTE)
            observations.append(SignObservation(det, measurement, reason, content))
        return PhotoScan(photo.source_name, photo.size_wh, photo.camera, tuple(observations),
                         board_found=board_obs is not None, **self._versions())

    def _versions(self) -> dict[str, str | None]:
        return {"detector_version": self.model_version, "content_version": self.content_version,
                "content_analysis": self.content_analysis}

    def _read_contents(self, photo: Photo, detections: list[Detection]) -> list[SignContent]:
        """The content of each sign, in order, ``params.content_workers`` at a time (each crop
        is cut when its read starts, so only that many are held at once)."""
        def read(det: Detection) -> SignContent:
            return self.content(sign_crop(photo.pixels_bgr, det))

        workers = min(self.params.content_workers, len(detections))
        if workers <= 1:
            return [read(det) for det in detections]
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="signtax-content") as pool:
            return list(pool.map(read, detections))

    def _refine(self, photo: Photo, det: Detection,
                board: BoardObservation | None = None) -> Detection:
        quad = None
        if board is not None:
            # In the board's plane the face is an upright rectangle: the strongest cue there is.
            quad = outline_in_board_plane(photo.pixels_bgr, board, det.bbox_xyxy)
        if quad is None and det.corners_source == "keypoints":
            quad = refine_quad(photo.pixels_bgr, np.array(det.corners_px))
        elif quad is None:
            quad = refine_corners(photo.pixels_bgr, det.bbox_xyxy)
        if quad is None:
            return det
        quad = order_clockwise(quad)
        return replace(det, corners_px=tuple((float(x), float(y)) for x, y in quad),
                       corners_source="refined")

    def _measure(self, photo: Photo, det: Detection, scale: ScaleInputs,
                 board: BoardObservation | None, rng: np.random.Generator, *,
                 board_elsewhere: bool) -> tuple[Measurement | None, str | None]:
        """Pick the scale that applies to this sign, then measure; or say why not."""
        focal = scale.focal_px or photo.camera.focal_px
        w, h = photo.size_wh
        x1, y1, x2, y2 = det.bbox_xyxy
        if board is None and scale.distance_m is None:
            return None, ("the reference board is not on this sign's face" if board_elsewhere
                          else NO_SCALE_REASON)
        if board is None and focal is None:
            return None, ("a distance was given but the focal length is unknown: the photo "
                          "has no EXIF focal length, give --focal-px")
        if board is None and not (x1 <= w / 2 <= x2 and y1 <= h / 2 <= y2):
            return None, "the distance applies to the sign at the image centre (aim point)"
        if det.corners_source != "refined":
            # Detector boxes are often 10-40 % off a sign's frame (measured on the board
            # scene); an area from them would be confidently wrong, so none is reported.
            return None, OUTLINE_NOT_FOUND_REASON
        corners = np.array(det.corners_px)
        noise = self.params.noise
        try:
            if board is not None:
                return measure_with_board(corners, board, rng=rng, noise=noise), None
            if scale.focal_px:
                # A calibrated focal length is good to ~0.5 %, not EXIF's ~4 % (§2.3).
                source, noise = "given", replace(noise, focal_rel=CALIBRATED_FOCAL_REL)
            else:
                source = photo.camera.focal_source or "exif"
            return measure_with_distance(
                corners, distance_m=scale.distance_m, focal_px=focal,
                principal_px=(w / 2, h / 2), rng=rng, noise=noise, focal_source=source), None
        except MeasurementError as exc:
            return None, str(exc)


def _noted(content: SignContent, note: str) -> SignContent:
    return replace(content, note=(content.note + " " if content.note else "") + note)


def load_scanner(model_dir: Path, *, detector_config: DetectorConfig | None = None,
                 params: PipelineParams = PipelineParams(),
                 content_model_dir: Path | None = None) -> Scanner:
    """The production scanner: YOLO detector + Tesseract content analysis, with the content
    network of ``content_model_dir`` (a version folder or one with PRODUCTION) when given.

    The detector returns detections down to ``params.detector_floor`` (its config's own
    ``confidence_min`` is replaced); the scanner applies ``params.confidence_min``."""
    from vision.content import TesseractReader, analyze
    from vision.content.classifier import ContentClassifier, resolve_content_model_dir
    from vision.content.fingerprint import analysis_fingerprint

    reader = TesseractReader()
    classifier = (None if content_model_dir is None
                  else ContentClassifier(resolve_content_model_dir(content_model_dir)))
    config = replace(detector_config or DetectorConfig(), confidence_min=params.detector_floor)
    return Scanner(YoloDetector(model_dir, config),
                   lambda crop: analyze(crop, ocr=reader, classifier=classifier), params,
                   content_version=None if classifier is None else classifier.version,
                   content_analysis=analysis_fingerprint(
                       None if classifier is None else classifier.version,
                       None if classifier is None else classifier.calibration))
