"""A small built-in vocabulary for Hat Yai shop signs: Thai and English, by trade.

Words are common shop-sign wording (not a dictionary). Every choice goes through an
explicit ``numpy.random.Generator``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SHOP_WORDS = (
    "ร้าน", "ขาย", "อาหาร", "ก๋วยเตี๋ยว", "ทอง", "คลินิก", "ยาง", "มือถือ", "ซ่อม", "โรงแรม",
    "ขายส่ง", "ขายปลีก", "เปิดทุกวัน", "ราคาถูก", "บริการ", "ของฝาก", "ข้าวมันไก่", "กาแฟ",
)


@dataclass(frozen=True, slots=True)
class Trade:
    """One kind of business: Thai heads/taglines and matching English wording."""

    thai_heads: tuple[str, ...]  # shop-type word placed before the name
    thai_lines: tuple[str, ...]  # second lines / slogans
    english: tuple[str, ...]
    icon: str  # name of a procedural icon in datasets.synth.graphics


TRADES: tuple[Trade, ...] = (
    Trade(("ห้างทอง", "ร้านทอง"), ("ทองคำแท้ 96.5%", "รับซื้อทองราคาสูง", "ขายทอง"),
          ("GOLD SHOP", "GOLD", "Gold & Jewelry"), "ring"),
    Trade(("ก๋วยเตี๋ยว", "ร้านอาหาร", "ข้าวมันไก่"), ("อร่อยทุกจาน", "เปิดทุกวัน", "ก๋วยเตี๋ยวเรือ",
          "อาหารตามสั่ง"), ("NOODLE", "RESTAURANT", "Chicken Rice", "FOOD"), "bowl"),
    Trade(("คลินิก", "คลินิกทันตกรรม", "ร้านขายยา"), ("เปิดบริการทุกวัน", "ตรวจรักษาโรคทั่วไป",
          "ทันตกรรม"), ("CLINIC", "DENTAL CLINIC", "PHARMACY"), "cross"),
    Trade(("ร้านยาง", "ยางรถยนต์", "อู่ซ่อมรถ"), ("ซ่อมช่วงล่าง", "เปลี่ยนยาง", "ตั้งศูนย์ถ่วงล้อ"),
          ("TYRE", "TIRE SERVICE", "AUTO SERVICE"), "tyre"),
    Trade(("มือถือ", "ร้านมือถือ", "ซ่อมมือถือ"), ("ซ่อมมือถือ", "รับซื้อมือถือ", "อุปกรณ์เสริม"),
          ("MOBILE", "PHONE SHOP", "Mobile Repair"), "phone"),
    Trade(("โรงแรม", "เกสต์เฮาส์"), ("ห้องพักรายวัน", "แอร์ ทีวี ไวไฟ", "ราคาประหยัด"),
          ("HOTEL", "GUEST HOUSE", "Rooms"), "bed"),
    Trade(("ร้านกาแฟ", "กาแฟสด"), ("กาแฟสด ชาเย็น", "เบเกอรี่", "โกปี๊"),
          ("COFFEE", "CAFE", "Coffee & Tea"), "cup"),
    Trade(("ร้านขายของชำ", "มินิมาร์ท", "ของฝาก"), ("ขายส่ง ขายปลีก", "ราคาถูก", "ของฝากหาดใหญ่"),
          ("MINI MART", "SOUVENIR", "Grocery"), "bag"),
    Trade(("ร้านตัดผม", "ร้านเสริมสวย"), ("ตัดผมชาย", "ทำเล็บ สระไดร์", "เสริมสวย"),
          ("BARBER", "BEAUTY SALON", "Hair & Nail"), "scissors"),
    Trade(("นวดแผนไทย", "สปา"), ("นวดเท้า นวดน้ำมัน", "นวดไทย", "ผ่อนคลาย"),
          ("THAI MASSAGE", "SPA", "Foot Massage"), "lotus"),
)

# Chinese shop words (Hat Yai has many Chinese-Thai shops); used only if a CJK font exists.
CHINESE_BY_ICON: dict[str, tuple[str, ...]] = {  # traditional characters, as on Hat Yai signs
    "ring": ("金行", "金舖"), "bowl": ("粿條", "餐廳"), "cross": ("診所", "藥房"),
    "tyre": ("輪胎",), "phone": ("手機",), "bed": ("酒店", "旅社"), "cup": ("咖啡", "茶室"),
    "bag": ("商店",), "scissors": ("理髮",), "lotus": ("按摩",),
}

THAI_NAMES = (
    "เจริญ", "รุ่งเรือง", "ทองดี", "แสงทอง", "โชคดี", "มั่งมี", "ศรีสุข", "เซ่งเฮง", "ฮั่วเฮง",
    "สมใจ", "ลีลา", "เพชรงาม", "ยิ่งเจริญ", "กิมหยง", "สันติสุข", "หาดใหญ่", "ใจดี", "บุญมา",
)
LATIN_NAMES = (
    "CHAROEN", "RUNGRUEANG", "THONGDEE", "SAENG THONG", "CHOKDEE", "SENG HENG", "HUA HENG",
    "SOMJAI", "KIM YONG", "SANTISUK", "HAT YAI", "JAIDEE", "BOONMA", "LEELA", "SIAM",
)
LED_MESSAGES_THAI = ("ยินดีต้อนรับ", "ลดราคา 50%", "เปิดทุกวัน 24 ชม.", "โปรโมชั่นพิเศษ")
LED_MESSAGES_LATIN = ("WELCOME", "OPEN 24 HRS", "SALE 50% OFF", "HOT PROMOTION")
STICKER_THAI = ("ลด 50%", "โปรโมชั่น", "เปิด", "ฟรี ไวไฟ", "รับบัตรเครดิต", "ห้ามสูบบุหรี่",
                "ให้เช่า", "เซ้ง", "ลดราคา", "สินค้าใหม่", "เปิด 24 ชั่วโมง", "รับสมัครพนักงาน",
                "ราคาพิเศษ", "ซื้อ 1 แถม 1", "อาหารตามสั่ง")
STICKER_LATIN = ("SALE", "OPEN", "FREE WiFi", "PROMOTION", "VISA", "NEW", "FOR RENT", "24 HOURS",
                 "HOT DEAL", "BUY 1 GET 1", "NEW ARRIVAL", "DELIVERY", "-30%")

# Hat Yai streets: (Thai, English)
STREETS: tuple[tuple[str, str], ...] = (
    ("ถนนนิพัทธ์อุทิศ 1", "Niphat Uthit 1 Rd."), ("ถนนนิพัทธ์อุทิศ 2", "Niphat Uthit 2 Rd."),
    ("ถนนนิพัทธ์อุทิศ 3", "Niphat Uthit 3 Rd."), ("ถนนเพชรเกษม", "Phetkasem Rd."),
    ("ถนนศรีภูวนารถ", "Sriphuwanat Rd."), ("ถนนธรรมนูญวิถี", "Thamnoon Vithi Rd."),
    ("ถนนราษฎร์อุทิศ", "Rat Uthit Rd."), ("ถนนประชาธิปัตย์", "Prachathipat Rd."),
    ("ถนนแสงจันทร์", "Saeng Chan Rd."), ("ถนนศุภสารรังสรรค์", "Suphasan Rangsan Rd."),
    ("ซอยธรรมนูญวิถี 5", "Soi Thamnoon Vithi 5"), ("ถนนนิพัทธ์สงเคราะห์ 1", "Niphat Songkhro 1 Rd."),
)
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"


def pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(len(options)))]


def phone_number(rng: np.random.Generator, *, thai_digits: bool = False) -> str:
    """A Thai-format number, digits only: landline 074-xxx-xxx (Songkhla) or mobile 0x-xxx-xxxx.

    No prefix: "Tel." would be foreign letters and "โทร." Thai letters, and where such a line
    sits changes the tax type, so the layout code chooses the prefix.
    """
    if rng.random() < 0.4:
        text = f"074-{rng.integers(200, 999)}-{rng.integers(100, 999)}"
    else:
        text = (f"0{pick(rng, ('8', '9', '6'))}{rng.integers(0, 9)}-{rng.integers(100, 999)}-"
                f"{rng.integers(1000, 9999)}")
    if thai_digits:
        text = "".join(THAI_DIGITS[int(c)] if c.isdigit() else c for c in text)
    return text


def number_text(rng: np.random.Generator) -> str:
    """Digits and punctuation only, as shop signs show them beside their words: a bare phone
    number, a price, opening hours, a house number, a discount. No letters, so no script."""
    kind = int(rng.integers(6))
    if kind == 0:
        return phone_number(rng)
    if kind == 1:
        return f"{pick(rng, ('49', '59', '99', '129', '199', '250', '390', '1,290'))}.-"
    if kind == 2:
        opens, closes = int(rng.integers(6, 11)), int(rng.integers(17, 24))
        return f"{opens:02d}.00-{closes:02d}.00"
    if kind == 3:
        return f"{rng.integers(1, 999)}/{rng.integers(1, 99)}"
    if kind == 4:
        return f"{pick(rng, ('10', '20', '30', '50', '70'))}%"
    return pick(rng, ("24", "7-11", "1999", "2567", "365"))


def shop_name(rng: np.random.Generator, trade: Trade) -> tuple[str, str]:
    """(Thai name line, English name line) for one shop of ``trade``."""
    i = int(rng.integers(len(THAI_NAMES)))
    thai = f"{pick(rng, trade.thai_heads)}{THAI_NAMES[i]}"
    latin = LATIN_NAMES[i % len(LATIN_NAMES)]
    english = f"{latin} {pick(rng, trade.english)}" if rng.random() < 0.6 else pick(rng, trade.english)
    return thai, english
