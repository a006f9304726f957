"""Where each user's latest history chart was published, so it is re-published only when the ratings change."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.coaching.model import PublishedChart
from bot.storage.orm import PublishedChartRow
from bot.storage.sql import upsert


class ChartRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, user_id: str) -> PublishedChart | None:
        row = self.session.get(PublishedChartRow, user_id)
        return PublishedChart(row.user_id, row.fingerprint, row.ref, row.created_at) if row else None

    def save(self, chart: PublishedChart) -> None:
        upsert(self.session, PublishedChartRow.__table__, {  # type: ignore[arg-type]
            "user_id": chart.user_id, "fingerprint": chart.fingerprint, "ref": chart.ref,
            "created_at": chart.created_at}, ["user_id"])

    def delete(self, user_id: str) -> None:
        self.session.execute(delete(PublishedChartRow).where(PublishedChartRow.user_id == user_id))
