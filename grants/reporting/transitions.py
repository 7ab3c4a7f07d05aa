"""The life of a progress report, declared to the workflow engine: a draft (or a returned report) is submitted by the
lead agency; program staff accept it, or return it for changes. An award owes its reports from the moment its
consortium accepts it: they are made ready in the same transaction."""

from grants import workflow
from grants.awards.models import Award
from grants.workflow import Transition

from .models import ProgressReport
from .services.reports import open_reports

S = ProgressReport.Status

workflow.declare(
    ProgressReport,
    [
        Transition((S.DRAFT, S.RETURNED), S.SUBMITTED, "Submit the report", rule="reporting.submit_report"),
        Transition(S.SUBMITTED, S.RETURNED, "Return for changes", rule="reporting.review_report"),
        Transition(S.SUBMITTED, S.ACCEPTED, "Accept the report", rule="reporting.review_report"),
    ],
)

workflow.add_effect(Award, Award.Status.ACCEPTED, open_reports)
