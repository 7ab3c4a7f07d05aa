"""A program's indicators with every version of their definitions (a change is a new version, never an edit), and
the values reports hold, each under the version it was entered under."""

from rest_framework import serializers

from grants.reporting.models import Indicator, IndicatorVersion, ReportValue


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorVersion
        fields = [
            "id",
            "number",
            "name",
            "definition",
            "unit",
            "numerator",
            "denominator",
            "reporters",
            "breakdowns",
            "measure",
            "created_at",
        ]


class IndicatorSerializer(serializers.ModelSerializer):
    versions = VersionSerializer(many=True)

    class Meta:
        model = Indicator
        fields = ["id", "program", "code", "position", "created_at", "versions"]


class ValueSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code")
    version = serializers.IntegerField(source="version.number")
    award = serializers.IntegerField(source="report.award_id")
    period = serializers.CharField(source="report.period")

    class Meta:
        model = ReportValue
        fields = [
            "id",
            "report",
            "award",
            "period",
            "organization",
            "indicator",
            "version",
            "breakdown",
            "value",
            "numerator",
            "denominator",
            "entered_at",
        ]
