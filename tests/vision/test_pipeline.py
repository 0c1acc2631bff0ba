"""The pipeline's composition and which scale applies to which sign, with a stand-in detector."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest

from tests.factories import plane_to_image_homography, render_plane_scene
from vision.corners import box_corners
from vision.pipeline import NO_SCALE_REASON, OUTLINE_NOT_FOUND_REASON, Scanner
from vision.types import Camera, Detection, Photo, Script, SignClass, SignContent


class BoxDetector:
    """Returns fixed boxes: the detector's job is tested elsewhere, on real photos."""

    version = "fixed"

    def __init__(self, boxes):
        self.boxes = boxes

    def detect(self, photo):
        return tuple(
            Detection(SignClass.SIGNBOARD, 0.9, b, tuple(map(tuple, box_corners(b))), "box")
            for b in self.boxes)


def _content(crop):
    return SignContent(frozenset({Script.LATIN}), False, False, False, 0.9)


@pytest.fixture(scope="module")
def board_scene():
    size_wh = (2400, 1600)
    h = plane_to_image_homography(f_px=3000, size_wh=size_wh, yaw_deg=15, pitch_deg=5,
                                  distance_cm=400, centre_cm=(90, 50))
    image, corners = render_plane_scene(size_wh=size_wh, h_plane_to_img=h, sign_cm=(180, 60),
                                        sign_origin_cm=(0, 0), board_origin_cm=(20, 68))
    return image, corners


def _box(corners, pad=6.0):
    x1, y1 = corners.min(axis=0) - pad
    x2, y2 = corners.max(axis=0) + pad
    return (float(x1), float(y1), float(x2), float(y2))


def test_board_measures_the_sign_it_sits_on(board_scene):
    image, corners = board_scene
    far_box = (20.0, 20.0, 220.0, 120.0)  # another "sign" far from the board
    scanner = Scanner(BoxDetector([_box(corners), far_box]), _content)
    scan = scanner.scan(Photo(image, Camera(), "scene"))
    assert scan.board_found
    near, far = scan.observations
    assert near.detection.corners_source == "refined"
    assert near.measurement is not None
    assert near.measurement.area_cm2 == pytest.approx(180 * 60, rel=0.02)
    assert far.measurement is None
    assert far.measurement_missing_reason == "the reference board is not on this sign's face"


def test_detection_of_the_board_itself_is_dropped(board_scene):
    image, corners = board_scene
    scanner = Scanner(BoxDetector([_box(corners)]), _content)
    board_box = scanner.scan(Photo(image, Camera(), "s"))  # find where the board is
    assert board_box.board_found
    from vision.board import detect_board

    pts = detect_board(image).image_pts_px
    bx = (*pts.min(axis=0), *pts.max(axis=0))
    scan = Scanner(BoxDetector([_box(corners), tuple(map(float, bx))]), _content).scan(
        Photo(image, Camera(), "s"))
    assert len(scan.observations) == 1


def test_no_scale_says_how_to_get_one():
    image = np.full((600, 800, 3), 120, np.uint8)
    scan = Scanner(BoxDetector([(100.0, 100.0, 500.0, 250.0)]), _content).scan(
        Photo(image, Camera(), "plain"))
    (obs,) = scan.observations
    assert obs.measurement is None and obs.measurement_missing_reason == NO_SCALE_REASON


def _panels(size_hw, boxes):
    """A wall with a dark sign panel at each box (pixel centres inside the box edges)."""
    image = np.full((*size_hw, 3), 170, np.uint8)
    for x1, y1, x2, y2 in boxes:
        cv2.rectangle(image, (int(x1), int(y1)), (int(x2) - 1, int(y2) - 1), (40, 40, 160), -1)
    return image


def test_distance_applies_to_the_sign_at_the_aim_point_only():
    centre_box = (600.0, 400.0, 900.0, 600.0)
    side_box = (50.0, 50.0, 300.0, 150.0)
    image = _panels((1000, 1500), [centre_box, side_box])
    scanner = Scanner(BoxDetector([centre_box, side_box]), _content)
    scan = scanner.scan(Photo(image, Camera(focal_px=1200.0, focal_source="exif"), "p"),
                        distance_m=5.0)
    centre, side = scan.observations
    # Fronto-parallel panel: width = D * w_px / f = 500 cm * 300 / 1200 = 125 cm.
    assert centre.detection.corners_source == "refined"
    assert centre.measurement.width_cm == pytest.approx(125, rel=0.02)
    assert centre.measurement.height_cm == pytest.approx(500 * 200 / 1200, rel=0.02)
    assert side.measurement is None and "image centre" in side.measurement_missing_reason


def test_distance_without_focal_explains():
    image = _panels((1000, 1500), [(600.0, 400.0, 900.0, 600.0)])
    scan = Scanner(BoxDetector([(600.0, 400.0, 900.0, 600.0)]), _content).scan(
        Photo(image, Camera(), "p"), distance_m=5.0)
    assert "focal length is unknown" in scan.observations[0].measurement_missing_reason


def test_box_corners_alone_give_no_measurement():
    """Without the sign's outline an area would be confidently wrong: none is reported."""
    image = np.full((600, 800, 3), 120, np.uint8)
    scan = Scanner(BoxDetector([(200.0, 150.0, 600.0, 450.0)]), _content).scan(
        Photo(image, Camera(focal_px=900.0), "p"), distance_m=5.0)
    (obs,) = scan.observations
    assert obs.detection.corners_source == "box"
    assert obs.measurement is None and obs.measurement_missing_reason == OUTLINE_NOT_FOUND_REASON


class ClassDetector(BoxDetector):
    def __init__(self, boxes, sign_class, corners=None, source="box"):
        super().__init__(boxes)
        self.sign_class, self.corners, self.source = sign_class, corners, source

    def detect(self, photo):
        return tuple(
            Detection(self.sign_class, 0.9, b,
                      self.corners or tuple(map(tuple, box_corners(b))), self.source)
            for b in self.boxes)


def test_led_display_class_makes_the_content_moving():
    image = np.full((600, 800, 3), 120, np.uint8)
    scan = Scanner(ClassDetector([(100.0, 100.0, 500.0, 250.0)], SignClass.LED_DISPLAY),
                   _content).scan(Photo(image, Camera(), "led"))
    content = scan.observations[0].content
    assert content.moving_display is True and "LED screen" in content.note


def test_keypoint_corners_are_refined_on_the_image(board_scene):
    image, corners = board_scene
    rough = corners + np.array([[4.0, -3.0], [-3.5, 4.0], [3.0, 3.5], [-4.0, -3.0]])
    det = ClassDetector([_box(corners)], SignClass.SIGNBOARD,
                        corners=tuple(map(tuple, rough)), source="keypoints")
    scan = Scanner(det, _content).scan(Photo(image, Camera(), "kp"))
    obs = scan.observations[0]
    assert obs.detection.corners_source == "refined"
    assert np.abs(np.array(obs.detection.corners_px) - corners).max() < 1.5


def test_given_focal_is_trusted_more_than_exif():
    image = _panels((1000, 1500), [(600.0, 400.0, 900.0, 600.0)])
    scanner = Scanner(BoxDetector([(600.0, 400.0, 900.0, 600.0)]), _content)
    exif = scanner.scan(Photo(image, Camera(focal_px=1200.0, focal_source="exif"), "p"),
                        distance_m=5.0).observations[0].measurement
    given = scanner.scan(Photo(image, Camera(), "p"), distance_m=5.0,
                         focal_px=1200.0).observations[0].measurement
    assert given.area_cm2 == pytest.approx(exif.area_cm2, rel=1e-6)
    width = lambda m: m.area_ci95_cm2[1] - m.area_ci95_cm2[0]  # noqa: E731
    assert width(given) < width(exif)
    assert given.scale_source.endswith("(given)")


# --- scan_data: detect on the preview, decode the full photo only when a sign is found ---------


class PreviewBoxDetector(BoxDetector):
    """Fixed boxes in full-photo pixels, from either path; records what it was given."""

    input_size_px = 640

    def __init__(self, boxes):
        super().__init__(boxes)
        self.previews = []

    def detect_preview(self, preview):
        self.previews.append((preview.size_wh, preview.scale_xy, preview.full_size_wh))
        return self.detect(None)


def test_scan_data_equals_scanning_the_decoded_photo(board_scene):
    from tests.factories import jpeg_bytes
    from vision.image import load_photo

    image, corners = board_scene
    data = jpeg_bytes(image, quality=95)
    detector = PreviewBoxDetector([_box(corners), (20.0, 20.0, 220.0, 120.0)])
    scanner = Scanner(detector, _content)
    fast = scanner.scan_data(data, source_name="scene.jpg")
    # 2400x1600 -> 1/2 DCT scale (1/4 would be 600 px, under the 640 px input).
    assert detector.previews == [((1200, 800), (2.0, 2.0), (2400, 1600))]
    assert fast == scanner.scan(load_photo(data, source_name="scene.jpg"))
    assert fast.board_found and fast.observations[0].measurement is not None


def test_scan_data_without_signs_never_decodes_the_full_photo(monkeypatch):
    from PIL import Image

    def full_decode(*args, **kw):
        raise AssertionError("the full photo was decoded")

    monkeypatch.setattr("vision.pipeline.load_photo", full_decode)
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, upright portrait
    exif.get_ifd(0x8769)[0xA405] = 26
    buf = io.BytesIO()
    Image.new("RGB", (3200, 2400), (90, 90, 90)).save(buf, "JPEG", exif=exif.tobytes())
    detector = PreviewBoxDetector([])
    scan = Scanner(detector, _content).scan_data(buf.getvalue(), source_name="empty street")
    assert scan.observations == () and scan.board_found is False
    assert scan.size_wh == (2400, 3200) and scan.source_name == "empty street"
    assert scan.camera.focal_px == pytest.approx(26 / 36 * 3200)
    assert detector.previews == [((600, 800), (4.0, 4.0), (2400, 3200))]


def test_every_scan_names_the_models_that_made_it(board_scene):
    """Stored with the result (the service's photo row, the CLI's JSON), so a type or a size can
    be traced to the networks that decided it and recomputed."""
    from tests.factories import jpeg_bytes
    from vision.image import load_photo

    image, corners = board_scene
    data = jpeg_bytes(image, quality=95)
    found = Scanner(PreviewBoxDetector([_box(corners)]), _content, content_version="c-test",
                    content_analysis="a-test")
    empty = Scanner(PreviewBoxDetector([]), _content)
    scans = {"scan": found.scan(load_photo(data)), "scan_data": found.scan_data(data),
             "scan_data, no sign": empty.scan_data(data)}
    assert {path: (s.detector_version, s.content_version, s.content_analysis)
            for path, s in scans.items()} == {
        "scan": ("fixed", "c-test", "a-test"), "scan_data": ("fixed", "c-test", "a-test"),
        "scan_data, no sign": ("fixed", None, None)}
    assert scans["scan_data"].observations and not scans["scan_data, no sign"].observations


def test_scan_data_refuses_bad_bytes():
    from vision.errors import InvalidImage

    with pytest.raises(InvalidImage, match="not an image"):
        Scanner(PreviewBoxDetector([]), _content).scan_data(b"not a photo" * 20)


# --- the sign under the board is kept below the confidence line --------------------------------


class ScoredDetector(BoxDetector):
    """Fixed boxes with given confidences, in full-photo pixels from either path."""

    input_size_px = 640

    def __init__(self, scored):
        super().__init__([b for b, _ in scored])
        self.scored = scored

    def detect(self, photo):
        return tuple(Detection(SignClass.SIGNBOARD, c, b, tuple(map(tuple, box_corners(b))), "box")
                     for b, c in self.scored)

    def detect_preview(self, preview):
        return self.detect(None)


def test_a_weak_sign_under_the_board_is_kept_and_noted(board_scene):
    from tests.factories import jpeg_bytes
    from vision.pipeline import BOARD_SIGN_NOTE

    image, corners = board_scene
    weak_far = (20.0, 20.0, 220.0, 120.0)
    scanner = Scanner(ScoredDetector([(_box(corners), 0.15), (weak_far, 0.2)]), _content)
    for scan in (scanner.scan(Photo(image, Camera(), "scene")),
                 scanner.scan_data(jpeg_bytes(image, quality=95), source_name="scene.jpg")):
        (obs,) = scan.observations  # the weak sign far from the board is still dropped
        assert scan.board_found and obs.detection.confidence == 0.15
        assert BOARD_SIGN_NOTE in obs.content.note
        assert obs.measurement.area_cm2 == pytest.approx(180 * 60, rel=0.02)
    # Below the board floor, or with no board in the photo, weak signs are dropped.
    assert Scanner(ScoredDetector([(_box(corners), 0.05)]), _content).scan(
        Photo(image, Camera(), "s")).observations == ()
    plain = _panels((1000, 1500), [(600.0, 400.0, 900.0, 600.0)])
    assert Scanner(ScoredDetector([((600.0, 400.0, 900.0, 600.0), 0.15)]), _content).scan(
        Photo(plain, Camera(), "p")).observations == ()


def test_a_sure_sign_under_the_board_needs_no_weak_one(board_scene):
    image, corners = board_scene
    inner = _box(corners, pad=-20.0)  # a weaker, tighter box of the same sign
    scan = Scanner(ScoredDetector([(_box(corners), 0.8), (inner, 0.15)]), _content).scan(
        Photo(image, Camera(), "scene"))
    (obs,) = scan.observations
    assert obs.detection.confidence == 0.8 and "reference board" not in (obs.content.note or "")


def test_pipeline_params_refuse_impossible_confidences():
    from vision.pipeline import PipelineParams

    with pytest.raises(ValueError, match="confidences"):
        PipelineParams(confidence_min=0.0)
    assert PipelineParams(confidence_min=0.05).detector_floor == 0.05


def test_a_weak_sign_under_the_board_wins_over_a_sure_neighbour():
    """The board's centre on a weak sign, a sure sign just below it: the weak one is the
    board's sign (the neighbour is in another plane and must not get the board's scale)."""
    from vision.board import DEFAULT_BOARD, BoardObservation
    from vision.pipeline import _board_sign_index, _with_board_sign

    def det(box, conf):
        return Detection(SignClass.SIGNBOARD, conf, box, tuple(map(tuple, box_corners(box))),
                         "box")

    pts = np.array([[500.0, 300.0], [600.0, 300.0], [600.0, 370.0], [500.0, 370.0]])
    board = BoardObservation(DEFAULT_BOARD, pts, pts / 10.0, np.eye(3))
    under, neighbour = det((300.0, 200.0, 900.0, 420.0), 0.15), det((300.0, 440.0, 900.0, 520.0), 0.9)
    kept, added = _with_board_sign([neighbour], [under], board)
    assert kept == [neighbour, under] and added == 1
    assert _board_sign_index(kept, board) == 1
    # With the board merely near two weak signs and no sure one, the nearest weak one is kept.
    kept, added = _with_board_sign([], [det((300.0, 440.0, 900.0, 520.0), 0.12),
                                        det((0.0, 900.0, 50.0, 950.0), 0.2)], board)
    assert added == 0 and kept[0].confidence == 0.12


def test_signs_are_read_in_parallel_and_reported_in_order():
    """Content is most of a scan: several signs are read at once (a barrier only passes when
    two reads run together) and each observation still gets its own sign's content."""
    import threading

    from vision.pipeline import PipelineParams

    image = np.full((600, 900, 3), 200, np.uint8)
    boxes = [(50.0 + 200 * i, 100.0, 190.0 + 200 * i, 100.0 + 40 * (i + 1)) for i in range(4)]
    together = threading.Barrier(2, timeout=10)

    def content_by_height(crop):
        together.wait()  # raises BrokenBarrierError when reads are made one after another
        return SignContent(frozenset({Script.LATIN}), False, False, False,
                           round(crop.shape[0] / 1000, 3))

    params = PipelineParams(content_workers=2)
    scan = Scanner(BoxDetector(boxes), content_by_height, params).scan(
        Photo(image, Camera(), "four signs"))
    heights = [round(b[3] - b[1]) for b in boxes]
    assert [o.content.confidence for o in scan.observations] == [h / 1000 for h in heights]
    one_at_a_time = Scanner(BoxDetector(boxes), _content, PipelineParams(content_workers=1))
    assert len(one_at_a_time.scan(Photo(image, Camera(), "x")).observations) == 4
    with pytest.raises(ValueError, match="content_workers must be >= 1"):
        PipelineParams(content_workers=0)


def test_the_loaded_scanner_names_its_content_network(model_dir):
    """What the service's /healthz reports: the network the shipped pointer names, or none."""
    from api.paths import default_content_model_dir
    from vision.content.classifier import resolve_content_model_dir
    from vision.pipeline import load_scanner

    content = default_content_model_dir()
    with_network = load_scanner(model_dir, content_model_dir=content)
    assert with_network.content_version == resolve_content_model_dir(content).name
    assert with_network.model_version == with_network.detector.version
    ocr_alone = load_scanner(model_dir)
    assert ocr_alone.content_version is None
    # The analysis is fingerprinted either way, and the network and calibration are part of it.
    assert len(with_network.content_analysis) == len(ocr_alone.content_analysis) == 16
    assert with_network.content_analysis != ocr_alone.content_analysis
