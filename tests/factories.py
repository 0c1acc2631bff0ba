"""Builders for synthetic test images with exactly known geometry."""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image

from vision.board import DEFAULT_BOARD, BoardSpec


def project_plane(points_cm: np.ndarray, h_plane_to_img: np.ndarray) -> np.ndarray:
    p = np.c_[points_cm, np.ones(len(points_cm))] @ h_plane_to_img.T
    return p[:, :2] / p[:, 2:3]


def plane_to_image_homography(*, f_px: float, size_wh: tuple[int, int], yaw_deg: float,
                              pitch_deg: float, distance_cm: float,
                              centre_cm: tuple[float, float]) -> np.ndarray:
    """Homography mapping plane coords (cm, z=0, y down) to pixels for a pinhole camera."""
    w, h = size_wh
    k = np.array([[f_px, 0, w / 2], [0, f_px, h / 2], [0, 0, 1.0]])
    rvec = np.array([np.deg2rad(pitch_deg), np.deg2rad(yaw_deg), 0.0])
    r, _ = cv2.Rodrigues(rvec)
    t = np.array([0, 0, distance_cm]) - r @ np.array([centre_cm[0], centre_cm[1], 0.0])
    return k @ np.c_[r[:, 0], r[:, 1], t]


def render_plane_scene(*, size_wh: tuple[int, int], h_plane_to_img: np.ndarray,
                       sign_cm: tuple[float, float], sign_origin_cm: tuple[float, float],
                       sign_texture_bgr: np.ndarray | None = None,
                       board: BoardSpec | None = DEFAULT_BOARD,
                       board_origin_cm: tuple[float, float] = (0.0, 0.0),
                       background_bgr: np.ndarray | None = None,
                       px_per_cm: float = 4.0, supersample: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Render a sign (and optionally the reference board) lying in one plane.

    Returns (image_bgr, true sign corners in pixels, clockwise from top-left).
    Rendering is supersampled and area-downsampled to avoid edge-aliasing bias.
    """
    w, h = size_wh
    s = supersample
    # Pixel centres sit at integer coordinates, so supersampling maps x to s*x + (s-1)/2.
    up = np.array([[s, 0, (s - 1) / 2], [0, s, (s - 1) / 2], [0, 0, 1.0]]) @ h_plane_to_img
    if background_bgr is None:
        canvas = np.full((h * s, w * s, 3), (150, 160, 165), np.uint8)
        noise = np.random.default_rng(1).normal(0, 6, canvas.shape)
        canvas = np.clip(canvas + noise, 0, 255).astype(np.uint8)
    else:
        canvas = cv2.resize(background_bgr, (w * s, h * s), interpolation=cv2.INTER_LINEAR)

    def paste(texture: np.ndarray, origin_cm: tuple[float, float], size_cm: tuple[float, float]):
        th, tw = texture.shape[:2]
        # texture pixel -> plane cm -> image
        sx, sy = size_cm[0] / tw, size_cm[1] / th
        # Texture pixel i covers [i-0.5, i+0.5]: its left edge lands exactly on origin_cm.
        t2p = np.array([[sx, 0, origin_cm[0] + 0.5 * sx], [0, sy, origin_cm[1] + 0.5 * sy],
                        [0, 0, 1.0]])
        m = up @ t2p
        warped = cv2.warpPerspective(texture, m, (w * s, h * s), flags=cv2.INTER_LINEAR)
        mask = cv2.warpPerspective(np.full((th, tw), 255, np.uint8), m, (w * s, h * s),
                                   flags=cv2.INTER_LINEAR)
        a = (mask.astype(np.float32) / 255.0)[:, :, None]
        canvas[:] = (canvas * (1 - a) + warped * a).astype(np.uint8)

    if sign_texture_bgr is None:
        tw, th = int(sign_cm[0] * px_per_cm), int(sign_cm[1] * px_per_cm)
        sign_texture_bgr = np.full((th, tw, 3), (40, 40, 200), np.uint8)
        cv2.putText(sign_texture_bgr, "SHOP 24", (tw // 10, int(th * 0.7)),
                    cv2.FONT_HERSHEY_SIMPLEX, th / 40, (255, 255, 255), max(2, th // 12))
    paste(sign_texture_bgr, sign_origin_cm, sign_cm)
    if board is not None:
        bw, bh = board.size_cm
        pattern = board.cv_board().generateImage((int(bw * 20), int(bh * 20)), marginSize=0,
                                                 borderBits=1)
        # White margin around the board, as printed.
        pad = 20
        padded = cv2.copyMakeBorder(pattern, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
        paste(cv2.cvtColor(padded, cv2.COLOR_GRAY2BGR),
              (board_origin_cm[0] - 1.0, board_origin_cm[1] - 1.0), (bw + 2.0, bh + 2.0))
    image = cv2.resize(canvas, (w, h), interpolation=cv2.INTER_AREA)
    ox, oy = sign_origin_cm
    sw, sh = sign_cm
    corners = project_plane(np.array([[ox, oy], [ox + sw, oy], [ox + sw, oy + sh], [ox, oy + sh]]),
                            h_plane_to_img)
    return image, corners


def jpeg_bytes(image_bgr: np.ndarray, quality: int = 92, exif: bytes | None = None) -> bytes:
    buf = io.BytesIO()
    img = Image.fromarray(image_bgr[:, :, ::-1])
    if exif is not None:
        img.save(buf, format="JPEG", quality=quality, exif=exif)
    else:
        img.save(buf, format="JPEG", quality=quality)
    return buf.getvalue()


def real_sign_texture(shared_data, *, min_width_px: int = 400, index: int = 0):
    """The ``index``-th large labelled signboard crop from the Vietnamese set (a real face)."""
    from datasets.yolo import read_labels

    root = shared_data / "signboards-vn"
    for img_path in sorted((root / "images/train").iterdir()):
        boxes = read_labels(root / "labels/train" / f"{img_path.stem}.txt")
        if not boxes:
            continue
        img = cv2.imread(str(img_path))
        h, w = img.shape[:2]
        b = max(boxes, key=lambda b: b.w * b.h)
        x1, y1, x2, y2 = (int(round(v)) for v in b.xyxy_px((w, h)))
        if x2 - x1 >= min_width_px and 1.5 <= (x2 - x1) / max(1, y2 - y1) <= 6:
            if index == 0:
                return img[max(0, y1):y2, max(0, x1):x2].copy()
            index -= 1
    raise AssertionError("no large sign crop found in signboards-vn")


def board_street_photo(shared_data, *, sign_cm=(240.0, 80.0), yaw_deg=20.0, f_px=3000.0,
                       distance_cm=450.0, size_wh=(3000, 2000)):
    """A street photo: real facade background, a real sign face of known size, the board on the wall.

    Returns (BGR image, true sign corners px, sign size cm).
    """
    bg_path = sorted((shared_data / "facades-spb/images/train").iterdir())[0]
    background = cv2.imread(str(bg_path))
    h = plane_to_image_homography(f_px=f_px, size_wh=size_wh, yaw_deg=yaw_deg, pitch_deg=8,
                                  distance_cm=distance_cm,
                                  centre_cm=(sign_cm[0] / 2, sign_cm[1] / 2 + 30))
    image, corners = render_plane_scene(
        size_wh=size_wh, h_plane_to_img=h, sign_cm=sign_cm, sign_origin_cm=(0.0, 0.0),
        sign_texture_bgr=real_sign_texture(shared_data),
        # The board is pressed flat on the sign face, as surveyors are told to.
        board_origin_cm=(sign_cm[0] * 0.58, sign_cm[1] * 0.55),
        background_bgr=background)
    return image, corners, sign_cm


def board_scene_varied(shared_data, seed: int, *, size_wh=(3000, 2000)):
    """A varied street photo with the board on a sign face: a synthetic Thai face (fascia,
    vinyl banner or billboard from datasets.synth) or, every 4th seed, a real neon face, on a
    real facade, at a random yaw/pitch; plus a box as a detector gives it (up to 15 % short or
    long at top and bottom, 8 % at the sides).

    Returns (BGR image, true sign corners px, sign size cm, box xyxy).
    """
    from datasets.synth.content import design_face
    from datasets.synth.faces import paint_face
    from datasets.synth.kinds import SignKind

    rng = np.random.default_rng(seed)
    w_cm, h_cm = float(rng.uniform(150, 320)), float(rng.uniform(60, 110))
    if seed % 4 == 3:
        texture = real_sign_texture(shared_data, index=0)
    else:
        kind = (SignKind.FASCIA, SignKind.VINYL_BANNER, SignKind.BILLBOARD)[seed % 3]
        face = paint_face(design_face(rng, kind, w_cm, h_cm), int(w_cm * 4), int(h_cm * 4)).bgra
        alpha = face[:, :, 3:4].astype(np.float32) / 255
        texture = (face[:, :, :3] * alpha + 255 * (1 - alpha)).astype(np.uint8)
    yaw, pitch = float(rng.uniform(-25, 25)), float(rng.uniform(-5, 10))
    h = plane_to_image_homography(f_px=2800.0, size_wh=size_wh, yaw_deg=yaw, pitch_deg=pitch,
                                  distance_cm=450.0, centre_cm=(w_cm / 2, h_cm / 2 + 20))
    backgrounds = sorted((shared_data / "facades-spb/images/train").iterdir())
    image, corners = render_plane_scene(
        size_wh=size_wh, h_plane_to_img=h, sign_cm=(w_cm, h_cm), sign_origin_cm=(0.0, 0.0),
        sign_texture_bgr=texture, board_origin_cm=(w_cm * 0.3, h_cm * 0.5 - 14),
        background_bgr=cv2.imread(str(backgrounds[(seed * 7) % len(backgrounds)])))
    x1, y1 = corners.min(axis=0)
    x2, y2 = corners.max(axis=0)
    sx, sy = float(rng.uniform(-0.08, 0.08)), float(rng.uniform(-0.15, 0.15))
    box = (x1 + sx * (x2 - x1), y1 + sy * (y2 - y1), x2 - sx * (x2 - x1), y2 - sy * (y2 - y1))
    return image, corners, (w_cm, h_cm), box


class FakeTensor:
    """Stands in for a torch tensor in ultralytics results: ``.cpu().numpy()`` and ``len``."""

    def __init__(self, values, shape: tuple[int, ...] | None = None) -> None:
        self.values = np.asarray(values, np.float32)
        if shape is not None:
            self.values = self.values.reshape(shape)

    def cpu(self):
        return self

    def numpy(self):
        return self.values

    def __len__(self) -> int:
        return len(self.values)
