"""tax-law §4: type 1/2/3 from script content and position; ก/ข labels."""

from __future__ import annotations

import pytest

from api.tax import (
    Motion,
    SignType,
    TaxInputError,
    classify,
    classify_reason,
    sign_class_label,
)

T1, T2, T3 = SignType.THAI_ONLY, SignType.THAI_MIXED, SignType.NO_THAI_OR_THAI_BELOW


# fmt: off
@pytest.mark.parametrize(
    "has_thai,has_foreign,has_graphics,thai_below_foreign,expected",
    [
        (True,  False, False, False, T1),  # Thai characters only
        (True,  True,  False, False, T2),  # Thai beside/above English
        (True,  False, True,  False, T2),  # Thai text with a logo is Type 2, not 1
        (True,  True,  True,  False, T2),
        (True,  True,  False, True,  T3),  # 3(b): some Thai below the foreign text
        (True,  True,  True,  True,  T3),
        (False, True,  False, False, T3),  # 3(a): no Thai at all
        (False, True,  True,  False, T3),
        (False, False, True,  False, T3),  # 3(a): pictures/marks only
    ],
)
# fmt: on
def test_classify(has_thai, has_foreign, has_graphics, thai_below_foreign, expected):
    got = classify(
        has_thai=has_thai,
        has_foreign=has_foreign,
        has_graphics=has_graphics,
        thai_below_foreign=thai_below_foreign,
    )
    assert got is expected


@pytest.mark.parametrize(
    "kwargs,message",
    [
        (dict(has_thai=False, has_foreign=False, has_graphics=False, thai_below_foreign=False),
         "has_thai, has_foreign, has_graphics"),
        (dict(has_thai=True, has_foreign=False, has_graphics=True, thai_below_foreign=True),
         "thai_below_foreign must be False"),
        (dict(has_thai=False, has_foreign=True, has_graphics=False, thai_below_foreign=True),
         "thai_below_foreign must be False"),
        (dict(has_thai=1, has_foreign=True, has_graphics=False, thai_below_foreign=False),
         "has_thai must be a bool, got int"),
        (dict(has_thai=True, has_foreign=None, has_graphics=False, thai_below_foreign=False),
         "has_foreign must be a bool"),
    ],
)
def test_classify_rejects_impossible_facts(kwargs, message):
    with pytest.raises(TaxInputError, match=message):
        classify(**kwargs)


@pytest.mark.parametrize(
    "motion,label", [(Motion.MOVING, "ก"), (Motion.STATIC, "ข")]
)
def test_motion_thai_label(motion, label):
    assert motion.thai_label == label


def test_enum_values_are_what_is_stored():
    assert [int(t) for t in SignType] == [1, 2, 3]
    assert [m.value for m in Motion] == ["moving", "static"]
    assert sign_class_label(T3, Motion.MOVING) == "3(ก)"


# fmt: off
@pytest.mark.parametrize(
    "has_thai,has_foreign,has_graphics,thai_below_foreign,thai,english",
    [
        (True,  False, False, False, "อักษรไทยล้วน", "Thai characters only, so type 1"),
        (True,  True,  False, False, "อักษรไทยปนอักษรต่างประเทศ (ไทยไม่อยู่ต่ำกว่า)",
         "Thai with foreign characters (Thai not below them), so type 2"),
        (True,  False, True,  False, "อักษรไทยกับภาพหรือเครื่องหมาย",
         "Thai characters with pictures or marks, so type 2"),
        (True,  True,  True,  False, "ปนอักษรต่างประเทศและภาพ",
         "Thai with foreign characters and pictures or marks, so type 2"),
        (True,  True,  True,  True,  "อักษรไทยอยู่ต่ำกว่าอักษรต่างประเทศ",
         "Thai characters below the foreign ones, so type 3"),
        (False, True,  False, False, "ไม่มีอักษรไทย", "no Thai characters, so type 3"),
        (False, False, True,  False, "ไม่มีอักษรไทย", "no Thai characters, so type 3"),
    ],
)
# fmt: on
def test_the_reason_follows_the_rule_that_decided_the_type(
    has_thai, has_foreign, has_graphics, thai_below_foreign, thai, english
):
    facts = dict(has_thai=has_thai, has_foreign=has_foreign, has_graphics=has_graphics,
                 thai_below_foreign=thai_below_foreign)
    th, en = classify_reason(**facts)
    assert en == english
    assert thai in th and th.endswith(f"ประเภท {int(classify(**facts))}")


def test_the_reason_refuses_what_classify_refuses():
    with pytest.raises(TaxInputError, match="thai_below_foreign must be False"):
        classify_reason(has_thai=False, has_foreign=True, has_graphics=False,
                        thai_below_foreign=True)
