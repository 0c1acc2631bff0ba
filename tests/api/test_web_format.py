"""Display helpers of the officer pages (api.web.format)."""

from __future__ import annotations

from api.web.format import line_points, type_reason


def test_the_type_reason_is_bilingual_and_names_the_deciding_rule():
    assert type_reason(["thai", "latin"], True, False, False, 3) == (
        "อักษรไทยอยู่ต่ำกว่าอักษรต่างประเทศ จึงเป็นประเภท 3 / "
        "Thai characters below the foreign ones, so type 3")
    # Thai below foreign needs both scripts: a stale flag on a Thai-only sign is ignored.
    assert type_reason(["thai"], True, False, False, 1).endswith("Thai characters only, so type 1")


def test_a_moving_display_adds_the_rate_it_pays():
    why = type_reason(["cjk"], False, True, True, 3)
    assert why.startswith("ไม่มีอักษรไทย จึงเป็นประเภท 3; ข้อความเคลื่อนที่หรือเปลี่ยนได้ อัตรา ก / ")
    assert why.endswith("no Thai characters, so type 3; moving or changing message, rate ก")


def test_nothing_legible_is_type_3_only_until_checked():
    assert type_reason([], False, False, False, 3).endswith(
        "nothing legible read: type 3 until an officer checks")


def test_no_reason_is_invented_for_a_type_the_facts_do_not_give():
    assert type_reason(["thai"], False, False, False, 2) == ""
    assert type_reason([], False, False, False, 1) == ""


def test_a_text_line_is_drawn_on_the_photo_where_it_was_read():
    # An upright sign at (10, 20), 101 px wide and 51 tall: its crop is 101 x 51 px with the
    # corner pixels on the corners, so crop (x, y) is photo (10 + x * 101/100, 20 + y * 51/50).
    corners = [[10, 20], [111, 20], [111, 71], [10, 71]]
    assert line_points(corners, [0, 0, 50, 25]) == "10.0,20.0 60.5,20.0 60.5,45.5 10.0,45.5"
    assert line_points(corners, [5, 200, 45, 230]) == ""  # not on the crop
    assert line_points([[0, 0], [0, 0], [0, 0], [0, 0]], [5, 10, 45, 30]) == ""  # no quadrilateral
