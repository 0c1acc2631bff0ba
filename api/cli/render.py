"""Readable tables for the terminal (the JSON document is the contract; this is for people)."""

from __future__ import annotations

TYPE_LABEL = {1: "1 Thai only", 2: "2 Thai mixed", 3: "3 no Thai/Thai below"}


def _size(sign: dict) -> str:
    m = sign["measurement"]
    if m is None:
        return "-"
    lo, hi = m["area_ci95_cm2"]
    return (f"{m['width_cm']:.0f} x {m['height_cm']:.0f} cm = {m['area_cm2'] / 1e4:.2f} m² "
            f"[{lo / 1e4:.2f}-{hi / 1e4:.2f}] ({m['method']})")


def _tax(sign: dict) -> str:
    t = sign["tax"]
    if t is None:
        return "-"
    return f"{t['due_baht']} ฿ ({t['units_500']} u x {t['rate_baht_per_unit']})"


def render_photo_table(doc: dict) -> str:
    signs = doc["signs"]
    head = f"{doc['file']}  {doc['size_wh'][0]}x{doc['size_wh'][1]} px, {len(signs)} sign(s)"
    if doc.get("board_found"):
        head += ", reference board found"
    lines = [head]
    if not signs:
        return head + "\n  (no signs found)\n"
    rows = [("#", "class", "conf", "size (95% CI)", "type", "tax/yr")]
    for i, s in enumerate(signs, start=1):
        c = s["content"]
        kind = TYPE_LABEL[c["tax_type"]] + (" moving" if c["moving_display"] else "")
        if c["needs_review"]:
            kind += " ?"
        rows.append((str(i), s["class"], f"{s['confidence']:.2f}", _size(s), kind, _tax(s)))
    widths = [max(len(r[k]) for r in rows) for k in range(len(rows[0]))]
    for r in rows:
        lines.append("  " + "  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())
    reasons = {s["tax_missing_reason"] for s in signs if s["tax_missing_reason"]}
    for reason in sorted(reasons):
        lines.append(f"  note: {reason}")
    return "\n".join(lines) + "\n"
