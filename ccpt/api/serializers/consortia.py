"""Consortia and their member organizations, with the organizations' identifiers: the CDS code, the EIN, any other
official code, and the org-id a 360Giving export names them by (README "Identifiers and 360Giving")."""

from django.conf import settings
from rest_framework import serializers

from consortia.models import Consortium, Membership, Organization
from grants.awards.services.threesixtygiving import organization_id


class OrganizationSerializer(serializers.ModelSerializer):
    county = serializers.CharField(source="county.name")
    org_id = serializers.SerializerMethodField(help_text="The organization's identifier in the org-id.guide scheme.")

    class Meta:
        model = Organization
        fields = ["id", "name", "kind", "county", "cds_code", "ein", "code", "org_id", "website"]

    def get_org_id(self, organization: Organization) -> str:
        return organization_id(organization, prefix=settings.CCPT_360G_PREFIX)


class MemberSerializer(serializers.ModelSerializer):
    organization = OrganizationSerializer()

    class Meta:
        model = Membership
        fields = ["organization", "role", "joined_on"]


class ConsortiumSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.name")
    counties_served = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    members = MemberSerializer(source="memberships", many=True)

    class Meta:
        model = Consortium
        fields = ["id", "name", "lead_agency", "region", "counties_served", "members", "updated_at"]
