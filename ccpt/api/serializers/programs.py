"""Programs, and their rounds as CommonGrants opportunities where the shape fits (README "The API" maps each field):
`title`, `description`, `status` {value, customValue, description}, `funding`, `keyDates`, `source`, `createdAt`,
`lastModifiedAt`; what CommonGrants has no field for (the grant period, who may lead, the required composition,
the match, the funding categories, the rubric) is in `customFields`."""

from decimal import Decimal

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ccpt.lib.dates import pacific
from grants.programs.models import Program, Round


class ProgramSerializer(serializers.ModelSerializer):
    class Meta:
        model = Program
        fields = ["id", "name", "administering_agency", "legal_basis", "threesixtygiving_prefix"]


class Money(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField()


class Status(serializers.Serializer):
    value = serializers.ChoiceField(choices=["forecasted", "open", "closed", "custom"])
    customValue = serializers.CharField()  # noqa: N815 - CommonGrants' name
    description = serializers.CharField()


class Funding(serializers.Serializer):
    totalAmountAvailable = Money()  # noqa: N815
    minAwardAmount = Money(allow_null=True)  # noqa: N815
    maxAwardAmount = Money(allow_null=True)  # noqa: N815
    estimatedAwardCount = serializers.IntegerField()  # noqa: N815


class Event(serializers.Serializer):
    name = serializers.CharField()
    date = serializers.DateField()
    time = serializers.CharField(help_text="HH:MM:SS, Pacific time (an ISO 8601 local time, as CommonGrants).")
    description = serializers.CharField()


class KeyDates(serializers.Serializer):
    appOpens = Event()  # noqa: N815
    appDeadline = Event()  # noqa: N815
    otherDates = serializers.DictField(child=Event())  # noqa: N815


class Category(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    maximum_award = serializers.DecimalField(max_digits=14, decimal_places=2)
    planned_grants = serializers.IntegerField()


class Criterion(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    max_points = serializers.DecimalField(max_digits=6, decimal_places=2)
    weight = serializers.DecimalField(max_digits=6, decimal_places=2)


class Rules(serializers.Serializer):
    program = serializers.IntegerField()
    code = serializers.CharField()
    kind = serializers.CharField()
    grantPeriod = serializers.ListField(child=serializers.CharField())  # noqa: N815
    eligibleLeadKinds = serializers.ListField(child=serializers.CharField())  # noqa: N815
    requiredComposition = serializers.ListField(child=serializers.CharField())  # noqa: N815
    matchPercent = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)  # noqa: N815
    fundingCategories = Category(many=True)  # noqa: N815
    criteria = Criterion(many=True)


COMMON_STATUS = {Round.Status.OPEN: "open", Round.Status.DRAFT: "forecasted"}


def _money(amount: Decimal | None) -> dict | None:
    return None if amount is None else {"amount": amount, "currency": "USD"}


def _event(name: str, at, description: str = "Pacific time") -> dict:
    local = pacific(at)
    return {
        "name": name,
        "date": local.date(),
        "time": local.time().replace(microsecond=0).isoformat(),
        "description": description,
    }


class OpportunitySerializer(serializers.Serializer):
    """A round as a CommonGrants opportunity."""

    id = serializers.IntegerField()
    title = serializers.CharField(source="name")
    description = serializers.CharField()
    status = serializers.SerializerMethodField()
    funding = serializers.SerializerMethodField()
    keyDates = serializers.SerializerMethodField()  # noqa: N815
    source = serializers.SerializerMethodField()
    createdAt = serializers.DateTimeField(source="created_at")  # noqa: N815
    lastModifiedAt = serializers.SerializerMethodField()  # noqa: N815
    customFields = serializers.SerializerMethodField()  # noqa: N815

    @extend_schema_field(Status)
    def get_status(self, round_: Round) -> dict:
        value = COMMON_STATUS.get(round_.status, "closed")
        return {"value": value, "customValue": round_.status, "description": round_.get_status_display()}

    @extend_schema_field(Funding)
    def get_funding(self, round_: Round) -> dict:
        categories = list(round_.categories.all())
        return Funding(
            {
                "totalAmountAvailable": _money(round_.funds_available),
                "minAwardAmount": None,
                "maxAwardAmount": _money(max((c.maximum_award for c in categories), default=None)),
                "estimatedAwardCount": sum(c.planned_grants for c in categories),
            }
        ).data

    @extend_schema_field(KeyDates)
    def get_keyDates(self, round_: Round) -> dict:  # noqa: N802
        other = {}
        if round_.loi_deadline:
            other["letterOfIntentDeadline"] = _event("Letter of intent due", round_.loi_deadline)
        return KeyDates(
            {
                "appOpens": _event("Applications open", round_.opens_at),
                "appDeadline": _event("Applications close", round_.closes_at),
                "otherDates": other,
            }
        ).data

    def get_source(self, round_: Round) -> str:
        return settings.SITE_URL + round_.get_absolute_url()

    def get_lastModifiedAt(self, round_: Round) -> str:  # noqa: N802
        moments = [m for m in (round_.created_at, round_.opened_at, round_.closed_at) if m]
        return serializers.DateTimeField().to_representation(max(moments))

    @extend_schema_field(Rules)
    def get_customFields(self, round_: Round) -> dict:  # noqa: N802
        return Rules(
            {
                "program": round_.program_id,
                "code": round_.code,
                "kind": round_.kind,
                "grantPeriod": round_.fiscal_years,
                "eligibleLeadKinds": list(round_.eligible_lead_kinds or []),
                "requiredComposition": round_.required_composition_labels,
                "matchPercent": round_.match_percent,
                "fundingCategories": list(round_.categories.all()),
                "criteria": list(round_.criteria.all()),
            }
        ).data
