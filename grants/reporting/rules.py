"""Who may do what with a program's indicators: the one place these checks live."""

import rules

from consortia.rules import is_administrator, is_contact, is_lead_contact, is_program_staff, not_administrator

from .models import DataManager, ProgressReport

# Program staff (administrators among them) read the definitions: they review reports against them. Administrators
# keep them.
rules.add_perm("reporting.view_indicators", is_program_staff)
rules.add_perm("reporting.keep_indicators", is_administrator)
# A report besides the annual ones: program staff ask for it (monitoring, EC 53015).
rules.add_perm("reporting.ask_for_reports", is_program_staff)

# A consortium's data managers (obj: Consortium): its lead agency's staff name them; program staff see who they are.
rules.add_perm("reporting.view_data_managers", is_program_staff | is_lead_contact)
rules.add_perm("reporting.name_data_managers", not_administrator & is_lead_contact)


# Progress reports (obj: ProgressReport). A consortium's contacts see its reports; its lead agency's staff enter every
# member's values and submit; a data manager enters only their own organizations' values and sees the consortium's
# totals; program staff see every report and review the submitted ones; readers see none.
def _of_report(predicate: rules.Predicate) -> rules.Predicate:
    def asked(user, report):
        return predicate.test(user, report.award.consortium if report is not None else None)

    return rules.Predicate(asked, name=f"{predicate.name}_of_report")


@rules.predicate
def is_data_manager(user, report):
    """A data manager of the report's consortium (which organizations: services.reports.managed_organizations)."""
    if report is None or not user.is_authenticated:
        return False
    if not hasattr(report, "_managers"):
        report._managers = set(
            DataManager.objects.filter(consortium_id=report.award.consortium_id).values_list("user_id", flat=True)
        )
    return user.pk in report._managers


@rules.predicate
def is_open(user, report):
    return report is not None and report.is_open


@rules.predicate
def is_submitted(user, report):
    return report is not None and report.status == ProgressReport.Status.SUBMITTED


is_report_contact = _of_report(is_contact)
is_report_lead = _of_report(is_lead_contact)

rules.add_perm("reporting.view_report", is_program_staff | is_report_contact | is_data_manager)
# Every member's values, not only the consortium's totals.
rules.add_perm("reporting.view_member_values", is_program_staff | is_report_lead)
rules.add_perm("reporting.enter_values", not_administrator & is_open & (is_report_lead | is_data_manager))
rules.add_perm("reporting.submit_report", not_administrator & is_open & is_report_lead)
rules.add_perm("reporting.review_report", is_program_staff & is_submitted)
rules.add_perm("reporting.view_every_report", is_program_staff)  # no object: the list of reports across awards
