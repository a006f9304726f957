"""Actions that start in Slack are audited with the Slack person as the actor: they acted on their own data."""

from __future__ import annotations

from bot.coaching.accountability import audit_trail
from bot.coaching.attributes import attributes
from bot.coaching.data_rights import pseudonym, pseudonym_secret
from tests.slack.conftest import SlackHarness, eventually
from tests.slack.test_assessment import submitted_view

PERSON = "slack:T1:U1"


def test_an_export_and_an_erasure_from_slack_name_the_person_as_the_actor(coached: SlackHarness) -> None:
    coaching = coached.services.coaching
    assert coaching is not None
    coached.slack.view_submission(submitted_view({attributes().ids[0]: 4}))
    coached.api.wait_for("chat.postMessage")
    # The Home tab refresh after the save (a chart drawn and uploaded) is over before the erasure starts.
    assert eventually(lambda: [r for _, r in coached.api.exchanges("views.publish") if r.get("ok")])
    coached.slack.command("my-data")
    coached.api.wait_for("files.completeUploadExternal", count=2)
    [export] = [e for e in audit_trail(coaching.db.uow(), subject=PERSON) if e.action == "export"]
    assert export.actor == PERSON

    coached.slack.command("forget-me")
    modal = coached.api.wait_for("views.open")[0]["view"]
    coached.slack.view_submission({"id": "VFORGET", "type": "modal", "callback_id": modal["callback_id"],
                                   "state": {"values": {}}})
    alias = pseudonym(PERSON, pseudonym_secret(coaching.settings))
    erased = eventually(lambda: audit_trail(coaching.db.uow(), subject=alias))  # the erasure runs after the ack
    assert [(e.actor, e.action) for e in erased] == [(alias, "erasure")]  # type: ignore[attr-defined]
    assert audit_trail(coaching.db.uow(), actor=PERSON) == []
