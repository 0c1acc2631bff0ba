"""Server-rendered web UI: Jinja2 templates, static CSS/JS, and the display helpers they use."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from api.web import format as fmt

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"


def build_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    env = templates.env
    env.filters.update(
        baht=fmt.baht,
        thai_datetime=fmt.thai_datetime,
        camera_time=fmt.camera_time,
        percent=fmt.percent,
        size_cm=fmt.size_cm,
        area_m2=fmt.area_m2,
        points=fmt.points,
        line_points=fmt.line_points,
    )
    env.globals.update(
        sign_type_label=fmt.sign_type_label,
        sign_class_label=fmt.sign_class_label,
        status_label=fmt.status_label,
        script_label=fmt.script_label,
        type_reason=fmt.type_reason,
    )
    return templates
