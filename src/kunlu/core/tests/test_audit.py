"""The audit page: administrators only, filterable by actor, object type, event and time, exportable."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from kunlu.accounts.models import Organisation
from kunlu.core import audit
from kunlu.core.models import AuditEvent
from kunlu.core.testing import World, client_for, xlsx_rows


def test_services_record_dotted_events_with_actor_object_and_payload(world: World) -> None:
    event = audit.record("core.test.poke", obj=world.zone_a, actor=world.admin, data={"why": "测试"})
    assert (event.event, event.actor, event.object_id, event.data) == (
        "core.test.poke",
        world.admin,
        str(world.zone_a.pk),
        {"why": "测试"},
    )
    assert event.at is not None and event.object_repr == "甲开发区"


def test_only_administrators_see_the_audit_page(world: World) -> None:
    url = reverse("core:audit_log")
    assert client_for(world.admin).get(url).status_code == 200
    assert client_for(world.analyst_a).get(url).status_code == 404


def test_filters_by_actor_object_type_event_and_time(world: World) -> None:
    audit.record("accounts.organisation.poke", obj=world.bureau_a, actor=world.analyst_a)
    audit.record("core.territory.poke", obj=world.zone_a, actor=world.admin)
    client = client_for(world.admin)
    url = reverse("core:audit_log")

    def events(**query: str) -> set[str]:
        response = client.get(url, query)
        return {row.record.event for row in response.context["table"].page.object_list}

    assert events(actor="analyst_a") == {"accounts.organisation.poke"}
    org_type = ContentType.objects.get_for_model(Organisation)
    assert "core.territory.poke" not in events(content_type=str(org_type.pk))
    assert "accounts.organisation.poke" in events(content_type=str(org_type.pk))
    assert events(event="core.territory.p") == {"core.territory.poke"}
    today = timezone.localdate(AuditEvent.objects.latest("at").at)  # the audit page filters by local date
    assert "core.territory.poke" in events(at_from=today.isoformat(), at_to=today.isoformat())
    assert events(at_to="2000-01-01") == set()


def test_export_of_the_audit_log(world: World) -> None:
    audit.record("core.territory.poke", obj=world.zone_a, actor=world.admin)
    response = client_for(world.admin).get(
        reverse("core:audit_log"), {"event": "core.territory.poke", "export": "xlsx"}
    )
    rows = xlsx_rows(response.content)
    assert rows[0][:3] == ["时间", "事件", "操作人"]
    assert [r[1] for r in rows[1:]] == ["core.territory.poke"]


def test_every_kunlu_model_keeps_field_history() -> None:
    from django.core import checks

    assert [e for e in checks.run_checks() if e.id in ("kunlu.E001", "kunlu.E002")] == []
