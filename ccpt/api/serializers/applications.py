"""Applications, and their results once the site would show them (`reviews.view_results`: program staff, and the
consortium's contacts once the round's results are published). Never the readers."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from grants.applications.models import Application


class ResultSerializer(serializers.Serializer):
    final = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    fundable = serializers.BooleanField()
    rank = serializers.IntegerField(allow_null=True)
    ranked_in_round = serializers.IntegerField()
    category_rank = serializers.IntegerField(allow_null=True)
    ranked_in_category = serializers.IntegerField()


class ApplicationSerializer(serializers.ModelSerializer):
    result = serializers.SerializerMethodField(
        help_text="Empty until the round's results are published (always for program staff), or before scoring."
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "number",
            "round",
            "consortium",
            "category",
            "title",
            "status",
            "grades_served",
            "students_served",
            "requested_amount",
            "submitted_at",
            "updated_at",
            "result",
        ]

    @extend_schema_field(ResultSerializer(allow_null=True))
    def get_result(self, application: Application) -> dict | None:
        score = getattr(application, "score", None)
        if score is None or not self.context["request"].user.has_perm("reviews.view_results", application):
            return None
        return ResultSerializer(score).data
