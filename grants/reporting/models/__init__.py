"""After the award, grantees report on a program's shared indicators: the definitions (indicators.py), what each
round reports and when and who enters it (plans.py), and the progress reports themselves (reports.py)."""

from .indicators import BREAKDOWN_VALUES, Indicator, IndicatorVersion
from .plans import DataManager, ExtraReport, ReportingPlan
from .reports import (
    ProgressReport,
    ReportAttachment,
    ReportComment,
    ReportReminder,
    ReportTotal,
    ReportValue,
    ReportVersion,
    report_file_path,
)

__all__ = [
    "BREAKDOWN_VALUES",
    "DataManager",
    "ExtraReport",
    "Indicator",
    "IndicatorVersion",
    "ProgressReport",
    "ReportAttachment",
    "ReportComment",
    "ReportReminder",
    "ReportTotal",
    "ReportValue",
    "ReportVersion",
    "ReportingPlan",
    "report_file_path",
]
