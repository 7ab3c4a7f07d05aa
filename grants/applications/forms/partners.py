"""The partners section: each partner's role, responsibilities, committed resources and commitment letter."""

from crispy_forms.layout import Layout
from django import forms
from django.core.exceptions import ValidationError

from ccpt.lib.forms import CleanInput
from consortia.models import Membership, Organization

from ..models import Application, CommittedResource, PartnerCommitment
from ..services.attachments import ALLOWED_DESCRIPTION, store_attachment, validate_upload
from .common import inline_helper, money_field

Section = Application.Section


# Partners


class PartnerForm(CleanInput, forms.ModelForm):
    letter_upload = forms.FileField(
        label="Commitment letter",
        required=False,
        help_text=f"Signed letter committing the resources: {ALLOWED_DESCRIPTION}.",
    )

    class Meta:
        model = PartnerCommitment
        fields = ["organization", "role", "responsibilities"]
        widgets = {"responsibilities": forms.Textarea(attrs={"rows": 3})}
        labels = {"organization": "Member organization"}
        help_texts = {"role": "Leave blank to use the organization's role in the consortium."}

    def __init__(self, *args, members, member_roles: dict[int, str], fiscal_years: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fiscal_years = fiscal_years
        self.member_roles = member_roles
        self.helper = inline_helper()
        self.fields["organization"].queryset = members
        self.fields["organization"].error_messages["invalid_choice"] = (
            "Choose one of the consortium's member organizations; add others to the consortium first."
        )
        self.fields["role"].required = False
        self.fields["role"].choices = [("", "Its role in the consortium"), *Membership.Role.choices]
        self.fields["organization"].empty_label = "Choose a member organization"
        committed = {(r.fiscal_year, r.kind): r for r in self.instance.resources.all()} if self.instance.pk else {}
        for year in fiscal_years:
            for kind, label in CommittedResource.Kind.choices:
                resource = committed.get((year, kind))
                self.fields[f"{kind}_{year}"] = money_field(
                    label=f"{label} amount, {year}", initial=resource.amount if resource else None
                )
                self.fields[f"{kind}_note_{year}"] = forms.CharField(
                    label=f"{label} description, {year}",
                    max_length=300,
                    required=False,
                    initial=resource.description if resource else "",
                    widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
                )

    def clean_letter_upload(self):
        upload = self.cleaned_data.get("letter_upload")
        if upload:
            validate_upload(upload)  # its ValidationError shows on this field
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("organization") and not cleaned.get("role"):
            cleaned["role"] = self.member_roles.get(cleaned["organization"].pk, Membership.Role.OTHER)
            self.instance.role = cleaned["role"]
        return cleaned

    def resource_rows(self):
        """[(year, [(amount field, description field) per kind])] for the resources table."""
        return [
            (year, [(self[f"{kind}_{year}"], self[f"{kind}_note_{year}"]) for kind in CommittedResource.Kind.values])
            for year in self.fiscal_years
        ]

    def resources(self) -> list[CommittedResource]:
        return [
            CommittedResource(
                fiscal_year=year,
                kind=kind,
                amount=self.cleaned_data[f"{kind}_{year}"],
                description=self.cleaned_data[f"{kind}_note_{year}"],
            )
            for year in self.fiscal_years
            for kind in CommittedResource.Kind.values
            if self.cleaned_data.get(f"{kind}_{year}") is not None
        ]


class PartnerFormSet(forms.BaseModelFormSet):
    item_name = "Partner"
    resource_kinds = CommittedResource.Kind.labels

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this partner"
        # The resources grid is laid out as a table by the template, after these fields.
        form.helper.layout = Layout(
            "id",
            "organization",
            "role",
            "responsibilities",
            "letter_upload",
            *(["DELETE"] if "DELETE" in form.fields else []),
        )

    def __init__(self, data=None, files=None, *, application: Application):
        self.application = application
        memberships = application.consortium.memberships.all()
        super().__init__(
            data,
            files,
            prefix="partners",
            queryset=application.partners.select_related("organization", "letter").prefetch_related("resources"),
            form_kwargs={
                "members": Organization.objects.filter(memberships__consortium=application.consortium).order_by("name"),
                "member_roles": {m.organization_id: m.role for m in memberships},
                "fiscal_years": application.round.fiscal_years,
            },
        )

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            organization = form.cleaned_data.get("organization")
            if organization and organization.pk in seen:
                raise ValidationError(f"{organization} is listed more than once; list each partner once.")
            if organization:
                seen.add(organization.pk)

    def save_to(self, locked: Application, *, by) -> list[str]:
        for form in self.forms:
            if self._should_delete_form(form):
                if form.instance.pk:
                    form.instance.delete()
                continue
            if not form.instance.pk and not form.has_changed():
                continue
            partner = form.save(commit=False)
            partner.application = locked
            partner.role = form.cleaned_data["role"]
            if upload := form.cleaned_data.get("letter_upload"):
                partner.letter = store_attachment(application=locked, upload=upload, by=by)
            partner.save()
            partner.resources.all().delete()
            resources = form.resources()
            for resource in resources:
                resource.commitment = partner
            CommittedResource.objects.bulk_create(resources)
        return []

    def warnings(self, application: Application) -> list[str]:
        return []


PartnerFormSetFactory = forms.modelformset_factory(
    PartnerCommitment, form=PartnerForm, formset=PartnerFormSet, extra=1, can_delete=True, can_delete_extra=False
)


def partner_formset(data=None, files=None, *, application: Application) -> PartnerFormSet:
    return PartnerFormSetFactory(data, files, application=application)
