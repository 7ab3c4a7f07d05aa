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
from .awards import Amendment, Award, FundingPlan, Instalment, Notice, PlanLine, SetAsideEntry
from .programs import Appropriation, Program
from .reviews import ApplicationScore, Assignment, Conflict, PriorityClaim, Reconciliation, Review, Score
from .rounds import CompetitivePriority, Criterion, FundingCategory, LetterOfIntent, RequiredAttachment, Round

__all__ = [
    "Amendment",
    "Award",
    "FundingPlan",
    "Instalment",
    "Notice",
    "PlanLine",
    "SetAsideEntry",
    "ApplicationScore",
    "Assignment",
    "Conflict",
    "PriorityClaim",
    "Reconciliation",
    "Review",
    "Score",
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
