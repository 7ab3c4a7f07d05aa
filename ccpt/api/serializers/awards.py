"""Awards with their schedule, payments and ledger: the ledger is the payments app's own
(grants.payments.services.payments.ledger), from the payments, recoveries and holds read with the page."""

from rest_framework import serializers

from grants.awards.models import Award, Instalment
from grants.payments.models import Payment
from grants.payments.services.payments import ledger

MONEY = {"max_digits": 14, "decimal_places": 2}


class InstalmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Instalment
        fields = ["fiscal_year", "amount", "due_on", "paid_on"]


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "fiscal_year", "amount", "status", "released_at", "approved_at", "paid_on", "reference"]


class LedgerSerializer(serializers.Serializer):
    awarded = serializers.DecimalField(**MONEY)
    scheduled = serializers.DecimalField(**MONEY, help_text="Not yet released.")
    released = serializers.DecimalField(**MONEY, help_text="Released (and approved when needed), not yet paid.")
    paid = serializers.DecimalField(**MONEY)
    recovered = serializers.DecimalField(**MONEY)
    net_paid = serializers.DecimalField(**MONEY)
    unpaid = serializers.DecimalField(**MONEY)
    held = serializers.DecimalField(**MONEY)
    on_hold = serializers.BooleanField()

    def to_representation(self, award: Award) -> dict:
        """The award's ledger from its payments, recoveries and holds as read with the page. One instance of this
        serializer serves every award of a page (a field of the award's serializer, not made anew per award: DRF
        copies a serializer's fields for each instance it makes, which was most of a page's time and garbage)."""
        book = ledger(
            award, list(award.payments.all()), recoveries=list(award.recoveries.all()), holds=list(award.holds.all())
        )
        return super().to_representation(book)


class AwardSerializer(serializers.ModelSerializer):
    fiscal_years = serializers.ListField(child=serializers.CharField(), read_only=True)
    schedule = InstalmentSerializer(source="instalments", many=True)
    payments = PaymentSerializer(many=True)
    ledger = LedgerSerializer(source="*", read_only=True)

    class Meta:
        model = Award
        fields = [
            "id",
            "number",
            "round",
            "consortium",
            "application",
            "category",
            "amount",
            "start_year",
            "years",
            "fiscal_years",
            "status",
            "offered_at",
            "responded_at",
            "updated_at",
            "schedule",
            "payments",
            "ledger",
        ]
