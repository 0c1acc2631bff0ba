"""FastAPI dependencies, as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from api.services.container import AppServices


def get_services(request: Request) -> AppServices:
    return request.app.state.services


def get_templates(request: Request) -> Jinja2Templates:
    return request.app.state.templates


ServicesDep = Annotated[AppServices, Depends(get_services)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
