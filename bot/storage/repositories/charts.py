"""Where each user's history charts were published, so a chart is re-published only when the ratings change
and every published copy can be deleted."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.coaching.model import PublishedChart
from bot.storage.orm import PublishedChartRow
from bot.storage.sql import upsert


def _chart(row: PublishedChartRow) -> PublishedChart:
    return PublishedChart(row.user_id, row.fingerprint, row.ref, row.created_at)


class ChartRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def all_for(self, user_id: str) -> list[PublishedChart]:
        """Newest first."""
        rows = self.session.scalars(select(PublishedChartRow).where(PublishedChartRow.user_id == user_id)
                                    .order_by(PublishedChartRow.created_at.desc(), PublishedChartRow.ref.desc()))
        return [_chart(row) for row in rows]

    def add(self, chart: PublishedChart) -> None:
        upsert(self.session, PublishedChartRow.__table__, {  # type: ignore[arg-type]
            "user_id": chart.user_id, "fingerprint": chart.fingerprint, "ref": chart.ref,
            "created_at": chart.created_at}, ["user_id", "ref"])

    def delete(self, user_id: str, refs: list[str] | None = None) -> None:
        """The user's charts with these refs, or all of them."""
        query = delete(PublishedChartRow).where(PublishedChartRow.user_id == user_id)
        if refs is not None:
            query = query.where(PublishedChartRow.ref.in_(refs))
        self.session.execute(query)
