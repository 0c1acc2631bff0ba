"""Sign content follows the tax-law table (tax-law.md §4), on painted faces and in labels."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from datasets.synth import SignKind, TextLayout, tax_type
from datasets.synth.content import design_face
from datasets.synth.faces import paint_face
from datasets.synth.kinds import LineFact, thai_below_foreign
from datasets.synth.text import script_of
from vision.types import Script

LAYOUT_TABLE = [  # layout, graphics, expected type
    (TextLayout.THAI_ONLY, False, 1),
    (TextLayout.THAI_ONLY, True, 2),
    (TextLayout.THAI_ABOVE_FOREIGN, False, 2),
    (TextLayout.THAI_ABOVE_FOREIGN, True, 2),
    (TextLayout.THAI_BESIDE_FOREIGN, False, 2),
    (TextLayout.FOREIGN_ABOVE_THAI, False, 3),
    (TextLayout.FOREIGN_ABOVE_THAI, True, 3),
    (TextLayout.FOREIGN_ONLY, False, 3),
    (TextLayout.FOREIGN_ONLY, True, 3),
]


@pytest.mark.parametrize(("layout", "graphics", "expected"), LAYOUT_TABLE)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_painted_fascia_has_the_tax_type_of_its_layout(layout, graphics, expected, seed):
    rng = np.random.default_rng(seed)
    design = design_face(rng, SignKind.FASCIA, 500.0, 120.0, layout)
    design = dataclasses.replace(design, graphic="logo" if graphics else None)
    face = paint_face(design, 500, 120)
    facts = [LineFact(ln.script, ln.text, ln.box_px) for ln in face.lines]
    assert facts, "no text painted"
    assert tax_type(facts, has_graphics=graphics, taxable=True) == expected
    scripts = {f.script for f in facts if f.script is not None}
    assert (Script.THAI in scripts) is (layout is not TextLayout.FOREIGN_ONLY)


@pytest.mark.parametrize(("layout", "graphics", "expected"), LAYOUT_TABLE)
def test_an_added_number_row_has_no_script_and_keeps_the_type(layout, graphics, expected):
    """The training-only digit rows (phone, price, hours) teach that digits are no script."""
    for seed in range(4):
        rng = np.random.default_rng(seed)
        design = design_face(rng, SignKind.FASCIA, 500.0, 150.0, layout, None, 1.0)
        design = dataclasses.replace(design, graphic="logo" if graphics else None)
        numbers = [row for row in design.rows
                   if all(ln.script is None and any(c.isdigit() for c in ln.text) for ln in row)]
        assert numbers, [[ln.text for ln in row] for row in design.rows]
        face = paint_face(design, 500, 150)
        facts = [LineFact(ln.script, ln.text, ln.box_px) for ln in face.lines]
        assert tax_type(facts, has_graphics=graphics, taxable=True) == expected


def test_number_rows_off_draw_no_random_number():
    """At probability 0 the generator advances as before, so every seed's scene (and so the
    held-out evaluation sets) stays as it was rendered."""
    a, b = np.random.default_rng(5), np.random.default_rng(5)
    plain = design_face(a, SignKind.FASCIA, 500.0, 150.0, TextLayout.THAI_ONLY)
    off = design_face(b, SignKind.FASCIA, 500.0, 150.0, TextLayout.THAI_ONLY, None, 0.0)
    assert plain == off and a.integers(2**31) == b.integers(2**31)


def test_graphics_only_sign_is_type_3():
    design = design_face(np.random.default_rng(0), SignKind.VINYL_BANNER, 300.0, 100.0,
                         TextLayout.GRAPHICS_ONLY)
    assert not design.rows and design.graphic is not None
    assert tax_type([], has_graphics=True, taxable=True) == 3


B = lambda y0, y1, x0=0.0, x1=100.0: (x0, y0, x1, y1)  # noqa: E731
RULE_TABLE = [  # lines (script, text, box), graphics, taxable, expected type
    ([(Script.THAI, "ร้านทอง", B(0, 40))], False, True, 1),
    ([(Script.THAI, "ร้านทอง", B(0, 40)), (None, "074-123-456", B(50, 70))], False, True, 1),
    ([(Script.THAI, "ร้านทอง", B(0, 40)), (Script.LATIN, "GOLD", B(50, 70))], False, True, 2),
    ([(Script.LATIN, "GOLD", B(0, 40)), (Script.THAI, "ร้านทอง", B(50, 70))], False, True, 3),
    ([(Script.THAI, "ทอง", B(0, 40, 0, 40)), (Script.LATIN, "GOLD", B(5, 35, 60, 100))],
     False, True, 2),  # beside
    ([(Script.LATIN, "GOLD", B(0, 40))], True, True, 3),
    ([], True, True, 3),
    ([(Script.THAI, "หยุด", B(0, 40))], False, False, None),
]


@pytest.mark.parametrize(("lines", "graphics", "taxable", "expected"), RULE_TABLE)
def test_tax_rule_table(lines, graphics, taxable, expected):
    facts = [LineFact(s, t, b) for s, t, b in lines]
    assert tax_type(facts, has_graphics=graphics, taxable=taxable) == expected


def test_thai_lower_than_foreign_is_below_but_level_is_not():
    thai_low = [LineFact(Script.LATIN, "GOLD", B(0, 40)), LineFact(Script.THAI, "ทอง", B(45, 80))]
    level = [LineFact(Script.LATIN, "GOLD", B(0, 40)), LineFact(Script.THAI, "ทอง", B(5, 42))]
    assert thai_below_foreign(thai_low) and not thai_below_foreign(level)


@pytest.mark.parametrize(("text", "script"), [
    ("ร้านทอง", Script.THAI), ("GOLD SHOP", Script.LATIN), ("074-123-456", None),
    ("โทร. 074-123-456", Script.THAI), ("Tel. 074", Script.LATIN), ("金行", Script.CJK),
    ("АПТЕКА", Script.OTHER),
])
def test_script_of_a_line(text, script):
    assert script_of(text) is script


def test_labels_agree_with_the_rule_and_the_layout(labelled_samples):
    expected = {(lay, g): t for lay, g, t in LAYOUT_TABLE}
    checked = 0
    for _, label in labelled_samples:
        for s in label.signs:
            facts = [LineFact(ln.script, ln.text, ln.box_cm) for ln in s.lines]
            assert s.tax_type == tax_type(facts, has_graphics=s.has_graphics, taxable=s.taxable)
            assert s.thai_below_foreign == thai_below_foreign(facts)
            key = (s.layout, s.has_graphics)
            if key in expected and s.lines and s.kind is not SignKind.LED_DISPLAY:
                assert s.tax_type == expected[key], (s.kind, s.layout, s.lines)
                checked += 1
    assert checked >= 5


def test_chinese_lines_appear_when_a_cjk_font_exists(monkeypatch):
    """With a CJK font (a Latin face stands in), some foreign lines become Chinese."""
    import dataclasses

    from datasets.synth import content
    from datasets.synth.fonts import installed_fonts

    fonts = installed_fonts()
    with_cjk = dataclasses.replace(fonts, cjk=(fonts.latin[0],))
    monkeypatch.setattr(content, "installed_fonts", lambda: with_cjk)
    scripts = set()
    for seed in range(40):
        d = design_face(np.random.default_rng(seed), SignKind.FASCIA, 500.0, 120.0,
                        TextLayout.THAI_ABOVE_FOREIGN)
        scripts |= {ln.script for row in d.rows for ln in row}
        rows = [[ln.script for ln in row] for row in d.rows]
        assert rows[0] == [Script.THAI]  # Thai stays on top: still type 2
    assert Script.CJK in scripts


def test_no_chinese_without_a_cjk_font(monkeypatch):
    import dataclasses

    from datasets.synth import content
    from datasets.synth.fonts import installed_fonts

    without_cjk = dataclasses.replace(installed_fonts(), cjk=())
    monkeypatch.setattr(content, "installed_fonts", lambda: without_cjk)
    for seed in range(20):
        d = design_face(np.random.default_rng(seed), SignKind.FASCIA, 500.0, 120.0)
        assert all(ln.script is not Script.CJK for row in d.rows for ln in row)


def test_window_ads_are_posters_lit_letters_and_stickers_as_in_the_real_photos():
    from datasets.synth.content import FaceStyle

    designs = [design_face(np.random.default_rng(seed), SignKind.WINDOW_STICKER, 90.0, 120.0)
               for seed in range(60)]
    styles = {d.style for d in designs}
    assert styles == {FaceStyle.POSTER, FaceStyle.NEON, FaceStyle.STICKER}
    for d in designs:
        if d.style is FaceStyle.POSTER:
            assert d.graphic == "picture"  # picture-led: it counts as graphics for the tax type
        if d.style is FaceStyle.NEON:
            assert max(d.background) < 40 and max(d.text_colour) > 200
            assert d.graphic in (None, "logo")
    # Other kinds keep their one style.
    assert design_face(np.random.default_rng(0), SignKind.FASCIA, 400.0, 100.0).style \
        is FaceStyle.PANEL


def _window_design(style, seed: int = 0):

    for s in range(seed, seed + 200):
        d = design_face(np.random.default_rng(s), SignKind.WINDOW_STICKER, 90.0, 120.0,
                        TextLayout.THAI_ABOVE_FOREIGN)
        if d.style is style and not d.rotated:
            return d
    raise AssertionError(f"no {style} design in 200 seeds")


def test_lit_letters_glow_on_a_dark_ground_and_their_lines_are_labelled():
    from datasets.synth.content import FaceStyle

    d = _window_design(FaceStyle.NEON)
    face = paint_face(d, 360, 480)
    assert face.lines and {ln.script for ln in face.lines} >= {Script.THAI}
    grey = face.bgra[..., :3].max(axis=2)
    x0, y0, x1, y1 = (int(v) for v in face.lines[0].box_px)
    assert grey[y0:y1, x0:x1].max() > 200  # the tube's white-hot core
    assert np.median(grey) < 90  # the dark interior behind the glass


def test_a_poster_is_mostly_picture_with_its_text_on_a_band():
    from datasets.synth.content import FaceStyle

    d = _window_design(FaceStyle.POSTER)
    face = paint_face(d, 360, 480)
    facts = [LineFact(ln.script, ln.text, ln.box_px) for ln in face.lines]
    assert facts and tax_type(facts, has_graphics=True, taxable=True) == 2
    text_rows = {int(r) for ln in face.lines for r in range(int(ln.box_px[1]), int(ln.box_px[3]))}
    assert len(text_rows) < 0.45 * 480  # the band; the picture takes the rest
    picture = np.delete(face.bgra[..., :3], sorted(text_rows), axis=0)
    assert picture.reshape(-1, 3).std(axis=0).mean() > 15  # a picture, not a plain ground


def test_lit_letters_in_a_window_are_lit_by_day_too_and_posters_are_not():
    from datasets.synth.camera import CameraSpec
    from datasets.synth.config import SynthConfig
    from datasets.synth.content import FaceStyle
    from datasets.synth.facade import front
    from datasets.synth.placement import Placer

    rng = np.random.default_rng(0)
    camera = CameraSpec((640, 480), 600.0, (0.0, 1.5, 8.0), 0.0, 0.0, 0.0, 8.0)
    placer = Placer(rng, camera, SynthConfig(), night=False)
    rect = front(0.0, 2.0, 0.0, 0.9, 1.2)
    neon = placer._add(SignKind.WINDOW_STICKER, rect, _window_design(FaceStyle.NEON), "window")
    poster = placer._add(SignKind.WINDOW_STICKER, rect, _window_design(FaceStyle.POSTER),
                         "window")
    assert neon.lit and not poster.lit
