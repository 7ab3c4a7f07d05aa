from .applications import (
    Application,
    Attachment,
    BudgetItem,
    CommittedResource,
    NarrativeResponse,
    PartnerCommitment,
    ProgramOfStudy,
    ScreeningCheck,
    Submission,
)
from .audit import StatusChange
from .programs import Appropriation, Program
from .rounds import CompetitivePriority, Criterion, FundingCategory, LetterOfIntent, RequiredAttachment, Round

__all__ = [
    "Application",
    "Appropriation",
    "Attachment",
    "BudgetItem",
    "CommittedResource",
    "CompetitivePriority",
    "Criterion",
    "FundingCategory",
    "LetterOfIntent",
    "NarrativeResponse",
    "PartnerCommitment",
    "Program",
    "ProgramOfStudy",
    "RequiredAttachment",
    "Round",
    "ScreeningCheck",
    "StatusChange",
    "Submission",
]
