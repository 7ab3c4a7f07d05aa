from django import forms
from django.contrib.auth import password_validation
from django.core.validators import MaxLengthValidator

from ccpt.lib.forms import CrispyForm, reason_field
from ccpt.lib.identifiers import clean_cds_code, clean_ein

from .models import Consortium, Contact, County, Invitation, Membership, Organization, User
from .roles import Role


class OrganizationChoiceField(forms.ModelChoiceField):
    """Lists only its queryset but accepts any organization, so that the form can say why an unlisted
    one is refused (already a member, cannot lead...) instead of Django's "Select a valid choice"."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return Organization.objects.get(pk=value)
        except (ValueError, TypeError, Organization.DoesNotExist):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None


class OrganizationForm(CrispyForm, forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "kind", "county", "cds_code", "ein", "code", "is_direct_funded", "website"]
        field_classes = {"website": forms.URLField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].assume_scheme = "https"
        # Room for the spaces and hyphens people type ("34 67439 0000000"); clean_* store the digits.
        for name, room in (("cds_code", 20), ("ein", 12)):
            field = self.fields[name]
            field.max_length, field.validators = room, [MaxLengthValidator(room)]
            field.widget.attrs.update(maxlength=room, inputmode="numeric")

    def clean_cds_code(self):
        cds_code = clean_cds_code(self.cleaned_data["cds_code"])
        if cds_code and Organization.objects.filter(cds_code=cds_code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another organization already has this CDS code.")
        return cds_code

    def clean_ein(self):
        return clean_ein(self.cleaned_data["ein"])

    def clean_code(self):
        # Reported here, next to the field; the database constraint would only give a form-wide error.
        code = self.cleaned_data["code"].strip().upper()
        if code and Organization.objects.filter(code__iexact=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another organization already has this official code.")
        return code


class ConsortiumForm(CrispyForm, forms.ModelForm):
    lead_agency = OrganizationChoiceField(
        queryset=Organization.objects.filter(kind__in=Organization.LEAD_KINDS).select_related("county"),
        help_text=(
            "The fiscal agent: a school district, county office of education, direct-funded charter school, "
            "community college district, or regional occupational center/program."
        ),
    )
    counties_served = forms.ModelMultipleChoiceField(
        queryset=County.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Hold Ctrl (or Cmd) to choose several counties.",
    )

    class Meta:
        model = Consortium
        fields = ["name", "lead_agency", "region", "counties_served", "labor_market_region"]
        widgets = {"labor_market_region": forms.Textarea(attrs={"rows": 4})}

    def clean_lead_agency(self):
        lead = self.cleaned_data["lead_agency"]
        if problem := lead.lead_eligibility_problem:
            raise forms.ValidationError(problem)
        return lead


class MembershipForm(CrispyForm, forms.ModelForm):
    submit_label = "Add member"

    organization = OrganizationChoiceField(queryset=Organization.objects.none())

    class Meta:
        model = Membership
        fields = ["organization", "role"]

    def __init__(self, *args, consortium: Consortium, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.consortium = consortium
        self.fields["organization"].queryset = Organization.objects.exclude(
            memberships__consortium=consortium
        ).select_related("county")
        self.fields["role"].required = False
        self.fields["role"].help_text = "Leave blank to use the usual role for the organization's kind."

    def clean_organization(self):
        organization = self.cleaned_data["organization"]
        if self.instance.consortium.memberships.filter(organization=organization).exists():
            raise forms.ValidationError(f"{organization} is already a member of this consortium.")
        return organization

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("organization") and not cleaned.get("role"):
            cleaned["role"] = Membership.role_for(cleaned["organization"].kind)
            self.instance.role = cleaned["role"]
        return cleaned


class InvitationForm(CrispyForm, forms.ModelForm):
    submit_label = "Send invitation"

    organization = OrganizationChoiceField(
        queryset=Organization.objects.none(), help_text="The member organization the person works for."
    )

    class Meta:
        model = Invitation
        fields = ["email", "organization", "role"]

    def __init__(self, *args, consortium: Consortium, **kwargs):
        super().__init__(*args, **kwargs)
        self.consortium = consortium
        self.fields["organization"].queryset = Organization.objects.filter(memberships__consortium=consortium)
        self.fields["role"].help_text = "Lead agency staff can edit the consortium, invite people and submit."

    def clean_organization(self):
        organization = self.cleaned_data["organization"]
        if not self.consortium.memberships.filter(organization=organization).exists():
            raise forms.ValidationError(f"{organization} is not a member of this consortium; add it as a member first.")
        return organization

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if Contact.objects.filter(consortium=self.consortium, user__email=email).exists():
            raise forms.ValidationError("This person already has access to the consortium.")
        if Invitation.objects.pending().filter(consortium=self.consortium, email=email).exists():
            raise forms.ValidationError("An invitation to this address is already waiting to be accepted.")
        return email


class NewAccountForm(CrispyForm, forms.Form):
    """Completes an invitation for someone who has no account yet."""

    submit_label = "Create account and join"

    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    title = forms.CharField(label="Job title", max_length=150, required=False)
    password1 = forms.CharField(label="Password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label="Password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords do not match.")
        elif p1:
            user = User(email=self.email, first_name=cleaned.get("first_name", ""))
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def save(self) -> User:
        data = self.cleaned_data
        return User.objects.create_user(
            email=self.email,
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            title=data["title"],
        )


class RolesForm(CrispyForm, forms.Form):
    """A person's roles and whether they may sign in, changed for a reason kept in the audit trail."""

    submit_label = "Save"

    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Consortium applicants act for the consortia they are contacts of; readers score the applications "
            "assigned to them; program staff run rounds; administrators configure programs, approve funding plans "
            "and give roles, and do what program staff do."
        ),
    )
    active = forms.BooleanField(
        label="Active: may sign in",
        required=False,
        help_text="A deactivated person cannot sign in; everything they did stays on record.",
    )
    reason = reason_field(help_text="Kept in the audit trail with your name and the time.")

    def __init__(self, *args, person: User, **kwargs):
        # The groups themselves: `person.roles` is empty while the person is deactivated.
        held = [name for name in person.groups.values_list("name", flat=True) if name in Role.values]
        super().__init__(*args, initial={"roles": held, "active": person.is_active}, **kwargs)
