"""The pipeline's composition and which scale applies to which sign, with a stand-in detector."""

from __future__ import annotations

import numpy as np
import pytest

from tests.factories import plane_to_image_homography, render_plane_scene
from vision.corners import box_corners
from vision.pipeline import NO_SCALE_REASON, Scanner
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


def test_distance_applies_to_the_sign_at_the_aim_point_only():
    image = np.full((1000, 1500, 3), 120, np.uint8)
    centre_box = (600.0, 400.0, 900.0, 600.0)
    side_box = (50.0, 50.0, 300.0, 150.0)
    scanner = Scanner(BoxDetector([centre_box, side_box]), _content)
    scan = scanner.scan(Photo(image, Camera(focal_px=1200.0, focal_source="exif"), "p"),
                        distance_m=5.0)
    centre, side = scan.observations
    # Fronto-parallel box: width = D * w_px / f = 500 cm * 300 / 1200 = 125 cm.
    assert centre.measurement.width_cm == pytest.approx(125, rel=0.01)
    assert centre.measurement.height_cm == pytest.approx(500 * 200 / 1200, rel=0.01)
    assert side.measurement is None and "image centre" in side.measurement_missing_reason


def test_distance_without_focal_explains():
    image = np.full((1000, 1500, 3), 120, np.uint8)
    scan = Scanner(BoxDetector([(600.0, 400.0, 900.0, 600.0)]), _content).scan(
        Photo(image, Camera(), "p"), distance_m=5.0)
    assert "focal length is unknown" in scan.observations[0].measurement_missing_reason


def test_box_corners_give_a_wider_interval_than_refined(board_scene):
    """Unrefined box corners are rough; the interval must say so."""
    from vision.board import detect_board
    from vision.geometry import measure_with_board
    from vision.pipeline import PipelineParams, _corner_sigma

    image, corners = board_scene
    board = detect_board(image)
    box = _box(corners, pad=0.0)
    params = PipelineParams()
    as_box = BoxDetector([box]).detect(None)[0]
    as_refined = Detection(SignClass.SIGNBOARD, 0.9, box, tuple(map(tuple, corners)), "refined")
    sigma_box, sigma_refined = _corner_sigma(as_box, params), _corner_sigma(as_refined, params)
    assert sigma_box > 5 * sigma_refined
    widths = []
    for sigma in (sigma_refined, sigma_box):
        m = measure_with_board(corners, board, rng=np.random.default_rng(0),
                               corner_sigma_px=sigma)
        widths.append((m.area_ci95_cm2[1] - m.area_ci95_cm2[0]) / m.area_cm2)
    assert widths[1] > 1.5 * widths[0]


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
    image = np.full((1000, 1500, 3), 120, np.uint8)
    scanner = Scanner(BoxDetector([(600.0, 400.0, 900.0, 600.0)]), _content)
    exif = scanner.scan(Photo(image, Camera(focal_px=1200.0, focal_source="exif"), "p"),
                        distance_m=5.0).observations[0].measurement
    given = scanner.scan(Photo(image, Camera(), "p"), distance_m=5.0,
                         focal_px=1200.0).observations[0].measurement
    assert given.area_cm2 == pytest.approx(exif.area_cm2, rel=1e-6)
    width = lambda m: m.area_ci95_cm2[1] - m.area_ci95_cm2[0]  # noqa: E731
    assert width(given) < width(exif)
    assert given.scale_source.endswith("(given)")
