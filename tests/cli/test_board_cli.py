"""`signtax board` writes a board that `scan` recognises, at its physical size."""

from __future__ import annotations

import re

import cv2
import numpy as np
import pytest
from PIL import Image

from api.cli.main import main
from vision.board import DEFAULT_BOARD, detect_board


def test_png_board_is_detected_with_all_corners_and_has_dpi(tmp_path, capsys):
    out = tmp_path / "board.png"
    assert main(["board", "--out", str(out), "--dpi", "150"]) == 0
    assert "38.5 x 27.5 cm" in capsys.readouterr().out
    img = Image.open(out)
    assert img.info["dpi"][0] == pytest.approx(150, abs=0.05)
    # The board's squares are exactly square_cm at the stated DPI.
    found = detect_board(cv2.cvtColor(np.array(img), cv2.COLOR_GRAY2BGR))
    assert found is not None and found.n_corners == 24
    px_per_cm = 150 / 2.54
    d = np.linalg.norm(found.image_pts_px[1] - found.image_pts_px[0])
    assert d / px_per_cm == pytest.approx(DEFAULT_BOARD.square_cm, rel=0.01)


def test_pdf_board_page_fits_a3(tmp_path):
    out = tmp_path / "board.pdf"
    assert main(["board", "--out", str(out)]) == 0
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", out.read_bytes())
    assert box is not None
    w_cm, h_cm = (float(v) / 72 * 2.54 for v in box.groups())
    assert 38.5 < w_cm <= 42.0 and 27.5 < h_cm <= 29.7


@pytest.mark.parametrize(("args", "message"), [
    (["--out", "x.jpg"], "must end in .pdf"),
    (["--out", "x.pdf", "--dpi", "10"], "--dpi must be between"),
])
def test_bad_board_options(tmp_path, capsys, args, message):
    args = [a if a not in ("x.jpg", "x.pdf") else str(tmp_path / a) for a in args]
    assert main(["board", *args]) == 2
    assert message in capsys.readouterr().err
