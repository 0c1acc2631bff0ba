"""Pinhole camera and plane geometry for the synthetic street scenes.

World frame (metres): x along the facade to the right, y up, z out of the facade towards
the street; the facade is the plane z = 0 and the ground is y = 0. Camera frame (OpenCV):
x right, y down, z forward. Image coordinates: pixel centres at integers, origin top-left.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

Vec3 = tuple[float, float, float]


def _check(name: str, value: float, lo: float, hi: float) -> None:
    if not (math.isfinite(value) and lo <= value <= hi):
        raise ValueError(f"{name} must be in [{lo}, {hi}], got {value!r}")


def _forward(yaw_deg: float, pitch_deg: float) -> np.ndarray:
    yaw, pitch = math.radians(yaw_deg), math.radians(pitch_deg)
    return np.array([math.sin(yaw) * math.cos(pitch), math.sin(pitch),
                     -math.cos(yaw) * math.cos(pitch)])


@lru_cache(maxsize=64)
def _rotation(yaw_deg: float, pitch_deg: float, roll_deg: float) -> np.ndarray:
    z = _forward(yaw_deg, pitch_deg)
    x = np.cross(z, [0.0, 1.0, 0.0])
    x /= np.linalg.norm(x)
    y = np.cross(z, x)
    r = math.radians(roll_deg)
    return np.stack([math.cos(r) * x + math.sin(r) * y, -math.sin(r) * x + math.cos(r) * y, z])


@dataclass(frozen=True, slots=True)
class CameraSpec:
    """Intrinsics (focal, principal point at the image centre, no distortion) and pose."""

    size_wh: tuple[int, int]
    focal_px: float
    position_m: Vec3
    yaw_deg: float  # + turns right (towards +x along the facade)
    pitch_deg: float  # + looks up
    roll_deg: float  # + turns the image clockwise
    distance_m: float  # camera centre to where the optical axis meets the facade

    def __post_init__(self) -> None:
        w, h = self.size_wh
        if not (16 <= w <= 8192 and 16 <= h <= 8192):
            raise ValueError(f"size_wh must be within 16..8192 px, got {self.size_wh}")
        _check("focal_px", self.focal_px, 1.0, 1e5)
        _check("yaw_deg", self.yaw_deg, -89.0, 89.0)
        _check("pitch_deg", self.pitch_deg, -45.0, 60.0)
        _check("roll_deg", self.roll_deg, -30.0, 30.0)
        _check("distance_m", self.distance_m, 0.1, 1000.0)
        if len(self.position_m) != 3 or not all(map(math.isfinite, self.position_m)):
            raise ValueError(f"position_m must be 3 finite numbers, got {self.position_m}")

    def k_matrix(self) -> np.ndarray:
        w, h = self.size_wh
        return np.array([[self.focal_px, 0, w / 2], [0, self.focal_px, h / 2], [0, 0, 1.0]])

    def forward(self) -> np.ndarray:
        return _forward(self.yaw_deg, self.pitch_deg)

    def rotation(self) -> np.ndarray:
        """World-to-camera rotation; rows are the camera axes x, y, z in world coordinates."""
        return _rotation(self.yaw_deg, self.pitch_deg, self.roll_deg).copy()

    def to_camera(self, pts_world: np.ndarray) -> np.ndarray:
        return (np.asarray(pts_world, float) - np.array(self.position_m)) @ self.rotation().T

    def rvec_tvec_m(self) -> tuple[np.ndarray, np.ndarray]:
        rot = self.rotation()
        rvec, _ = cv2.Rodrigues(rot)
        return rvec.ravel(), -rot @ np.array(self.position_m)


def camera_looking_at(size_wh: tuple[int, int], focal_px: float, *, distance_m: float,
                      yaw_deg: float, pitch_deg: float, roll_deg: float, height_m: float,
                      aim_x_m: float = 0.0) -> CameraSpec:
    """Place the camera ``height_m`` above the ground so its axis hits the facade at
    ``distance_m``: the aim point is (aim_x_m, height + d sin(pitch), 0)."""
    probe = CameraSpec(size_wh, focal_px, (0.0, 0.0, 1.0), yaw_deg, pitch_deg, roll_deg, distance_m)
    f = probe.forward()
    aim = np.array([aim_x_m, height_m + distance_m * f[1], 0.0])
    pos = aim - distance_m * f
    return CameraSpec(size_wh, focal_px, (float(pos[0]), float(pos[1]), float(pos[2])),
                      yaw_deg, pitch_deg, roll_deg, distance_m)


def project(k: np.ndarray, pts_cam: np.ndarray) -> np.ndarray:
    """Pinhole projection of camera-frame points (z > 0) to pixels, (N, 2)."""
    p = pts_cam @ k.T
    return p[:, :2] / p[:, 2:3]


def supersampled_k(k: np.ndarray, factor: int) -> np.ndarray:
    """K of a canvas ``factor`` times larger that INTER_AREA shrinks back to the image.

    Output pixel i averages canvas pixels factor*i .. factor*i + factor-1, whose centres
    average to factor*i + (factor-1)/2.
    """
    s = np.array([[factor, 0, (factor - 1) / 2], [0, factor, (factor - 1) / 2], [0, 0, 1.0]])
    return s @ k


def clip_near(pts_cam: np.ndarray, near: float) -> np.ndarray:
    """Sutherland-Hodgman clip of a convex polygon (camera frame) to z >= near."""
    out: list[np.ndarray] = []
    n = len(pts_cam)
    for i in range(n):
        a, b = pts_cam[i], pts_cam[(i + 1) % n]
        a_in, b_in = a[2] >= near, b[2] >= near
        if a_in:
            out.append(a)
        if a_in != b_in:
            t = (near - a[2]) / (b[2] - a[2])
            out.append(a + t * (b - a))
    return np.array(out).reshape(-1, 3)


@dataclass(frozen=True, slots=True)
class Rect3D:
    """A planar rectangle in the world: top-left ``origin_m``, unit axes ``u`` (along the
    width, to the right as seen from the front) and ``v`` (along the height, downwards)."""

    origin_m: Vec3
    u: Vec3
    v: Vec3
    width_m: float
    height_m: float

    def __post_init__(self) -> None:
        u, v = np.array(self.u), np.array(self.v)
        if abs(np.linalg.norm(u) - 1) > 1e-6 or abs(np.linalg.norm(v) - 1) > 1e-6:
            raise ValueError(f"u and v must be unit vectors, got |u|={np.linalg.norm(u):.6f}, "
                             f"|v|={np.linalg.norm(v):.6f}")
        if abs(float(u @ v)) > 1e-6:
            raise ValueError(f"u and v must be orthogonal, got u.v={float(u @ v):.2e}")
        if not (self.width_m > 0 and self.height_m > 0):
            raise ValueError(f"width_m and height_m must be positive, got "
                             f"{self.width_m}, {self.height_m}")

    @property
    def normal(self) -> np.ndarray:
        """u x v: points into the surface, away from its viewer."""
        return np.cross(self.u, self.v)

    def corners_m(self) -> np.ndarray:
        o, u, v = np.array(self.origin_m), np.array(self.u), np.array(self.v)
        wu, hv = u * self.width_m, v * self.height_m
        return np.stack([o, o + wu, o + wu + hv, o + hv])


def plane_pose_cm(camera: CameraSpec, rect: Rect3D) -> tuple[np.ndarray, np.ndarray]:
    """(rvec, tvec_cm) of the rect's own frame (origin top-left, x along u, y along v, z into
    the face; cm) in the camera frame, as ``cv2.projectPoints`` takes them."""
    rot = camera.rotation()
    axes = np.stack([rect.u, rect.v, rect.normal], axis=1)
    rvec, _ = cv2.Rodrigues(rot @ axes)
    tvec = rot @ (np.array(rect.origin_m) - np.array(camera.position_m)) * 100.0
    return rvec.ravel(), tvec


def rect_homography(k: np.ndarray, camera: CameraSpec, rect: Rect3D, tex_wh: tuple[int, int]
                    ) -> np.ndarray:
    """Homography from texture pixels (centres at integers, covering the rect exactly) to
    the image of ``k``."""
    rot = camera.rotation()
    w_px, h_px = tex_wh
    sx, sy = rect.width_m / w_px, rect.height_m / h_px
    ru, rv = rot @ np.array(rect.u), rot @ np.array(rect.v)
    t = rot @ (np.array(rect.origin_m) - np.array(camera.position_m))
    m = np.stack([ru * sx, rv * sy, t + 0.5 * (ru * sx + rv * sy)], axis=1)
    return k @ m


def inverse_depth_coeffs(k: np.ndarray, camera: CameraSpec, rect: Rect3D) -> np.ndarray:
    """(a, b, c) with 1/z = a x + b y + c for image pixels (x, y) seeing the rect's plane."""
    rot = camera.rotation()
    n = rot @ rect.normal
    p = rot @ (np.array(rect.origin_m) - np.array(camera.position_m))
    d = float(n @ p)
    if abs(d) < 1e-9:
        return np.zeros(3)
    return (n @ np.linalg.inv(k)) / d
