"""The append-only audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import AuditEventRow


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | str,
    detail: dict[str, Any] | None = None,
) -> AuditEventRow:
    event = AuditEventRow(
        actor=actor, action=action, entity=entity, entity_id=str(entity_id), detail=detail or {}
    )
    session.add(event)
    return event


def for_entity(session: Session, entity: str, entity_id: int | str) -> list[AuditEventRow]:
    stmt = (
        select(AuditEventRow)
        .where(AuditEventRow.entity == entity, AuditEventRow.entity_id == str(entity_id))
        .order_by(AuditEventRow.id)
    )
    return list(session.scalars(stmt))
