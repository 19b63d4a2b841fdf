"""The demo clinic's outbox has something for reception to look at, written as real rows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from frontdesk.db.engine import Database
from frontdesk.db.models import OutboxMessage, Patient
from frontdesk.demo.outbox import UNREACHABLE
from tests.unit.test_demo import _build


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = _build(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    yield db
    db.dispose()


def test_the_demo_outbox_holds_sent_waiting_and_failed_messages_for_consenting_patients(
    demo: Database,
) -> None:
    with demo.read() as s:
        by_status = dict(
            s.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            ).all()
        )
        assert by_status.get("sent", 0) > 0 and by_status.get("pending", 0) > 0
        failed = s.scalars(select(OutboxMessage).where(OutboxMessage.status == "failed")).all()
        assert [m.reason for m in failed] == [UNREACHABLE]
        sent_to = s.scalars(
            select(Patient)
            .join(OutboxMessage, OutboxMessage.patient_id == Patient.id)
            .where(OutboxMessage.status == "sent")
        ).all()
        assert sent_to and all(p.email_consent and p.contact_by_email and p.email for p in sent_to)
        kinds = set(s.scalars(select(OutboxMessage.kind)))
        assert {"confirmation", "reminder"} <= kinds
