"""Progress reports: what they are and what they ask for, and what a consortium sends (values, answers in words)
or staff send (a decision's comment). The services check the content; these check only its shape."""

from rest_framework import serializers

from grants.reporting.models import ProgressReport

from .indicators import VersionSerializer


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "award",
            "period",
            "title",
            "due_at",
            "status",
            "progress",
            "challenges",
            "next_steps",
            "submitted_at",
            "decided_at",
            "updated_at",
        ]


class AskedSerializer(VersionSerializer):
    code = serializers.CharField(source="indicator.code")

    class Meta(VersionSerializer.Meta):
        fields = ["code", *VersionSerializer.Meta.fields]


class ReportDetailSerializer(ReportSerializer):
    asks = AskedSerializer(
        many=True, read_only=True, help_text="The indicators the report asks for, at the version values go under."
    )

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "asks"]


class NarrativeSerializer(serializers.Serializer):
    progress = serializers.CharField(required=False, allow_blank=True, max_length=50_000)
    challenges = serializers.CharField(required=False, allow_blank=True, max_length=50_000)
    next_steps = serializers.CharField(required=False, allow_blank=True, max_length=50_000)


class EntrySerializer(serializers.Serializer):
    """One member organization's value of one indicator: a count or amount in `value`, a rate as its numerator and
    denominator; all three empty (or absent) clears the value."""

    organization = serializers.IntegerField(min_value=1, max_value=2**62)
    indicator = serializers.CharField(max_length=40, help_text="The indicator's code.")
    breakdown = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    value = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    numerator = serializers.IntegerField(min_value=0, max_value=2**62, required=False, allow_null=True)
    denominator = serializers.IntegerField(min_value=0, max_value=2**62, required=False, allow_null=True)


class EntriesSerializer(serializers.Serializer):
    values = EntrySerializer(many=True, allow_empty=True, max_length=10_000)


class EntryOutcomeSerializer(serializers.Serializer):
    saved = serializers.IntegerField()
    cleared = serializers.IntegerField()


class DecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=20_000, default="")


class ItemCommentSerializer(serializers.Serializer):
    item = serializers.CharField(
        max_length=200,
        help_text='What the comment is on: "narrative:<answer>" or "value:<organization id>:<indicator code>", as '
        "the report's latest version lists them.",
    )
    comment = serializers.CharField(max_length=20_000)


class ReturnSerializer(DecisionSerializer):
    items = ItemCommentSerializer(many=True, required=False, default=list, max_length=1_000)
