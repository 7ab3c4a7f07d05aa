"""The frozen snapshot of a submitted application: the whole application as plain JSON data, what readers and
staff read and what its SHA-256 checksum covers."""

import hashlib
import json
from datetime import datetime
from decimal import Decimal

from ..models import Application, Attachment, BudgetItem, Submission

SNAPSHOT_FORMAT = 1


def canonical_json(data: dict) -> str:
    """The one serialisation the checksum is computed over."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def checksum(data: dict) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def verify(submission: Submission) -> bool:
    """Is the stored snapshot exactly what was submitted?"""
    return checksum(submission.data) == submission.checksum


def _money(amount: Decimal | None) -> str:
    return str((amount or Decimal("0")).quantize(Decimal("0.01")))


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _organization(org) -> dict:
    return {
        "id": org.pk,
        "name": org.name,
        "kind": org.kind,
        "kind_label": org.get_kind_display(),
        "county": org.county.name,
        "cds_code": org.cds_code,
        "ein": org.ein,
        "code": org.code,
    }


def _attachment(attachment: Attachment | None) -> dict | None:
    if attachment is None:
        return None
    required = attachment.required_attachment
    return {
        "id": attachment.pk,
        "name": attachment.original_name,
        "required_attachment_id": attachment.required_attachment_id,
        "required_attachment": required.name if required else None,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "uploaded_by": str(attachment.uploaded_by),
        "uploaded_at": _when(attachment.uploaded_at),
    }


def _budget(application: Application, years: list[str]) -> dict:
    cells = {(item.fiscal_year, item.object_code): item.amount for item in application.budget_items.all()}
    rows = []
    for code, label in BudgetItem.ObjectCode.choices:
        amounts = [cells.get((year, code), Decimal("0")) for year in years]
        rows.append(
            {
                "object_code": code,
                "label": label,
                "amounts": [_money(a) for a in amounts],
                "total": _money(sum(amounts)),
            }
        )
    year_totals = [
        sum((cells.get((year, code), Decimal("0")) for code in BudgetItem.ObjectCode.values), Decimal("0"))
        for year in years
    ]
    return {
        "fiscal_years": years,
        "rows": rows,
        "year_totals": [_money(t) for t in year_totals],
        "total": _money(sum(year_totals)),
        "narratives": [{"fiscal_year": y, "text": application.budget_narratives.get(y, "")} for y in years],
    }


def build_snapshot(application: Application, *, submitted_at: datetime) -> dict:
    """The whole application as plain JSON data: what readers read, and what the checksum covers."""
    app = (
        Application.objects.select_related(
            "round__program", "category", "consortium__lead_agency__county", "consortium__region"
        )
        .prefetch_related(
            "programs",
            "partners__organization__county",
            "partners__resources",
            "partners__letter__required_attachment",
            "partners__letter__uploaded_by",
            "budget_items",
            "narratives",
            "attachments__required_attachment",
            "attachments__uploaded_by",
            "consortium__memberships__organization__county",
            "consortium__counties_served",
        )
        .get(pk=application.pk)
    )
    round_, consortium = app.round, app.consortium
    years = round_.fiscal_years
    answers = {n.criterion_id: n.text for n in app.narratives.all()}
    partners = []
    for partner in app.partners.all():
        resources = list(partner.resources.all())
        partners.append(
            {
                "organization": _organization(partner.organization),
                "role": partner.role,
                "role_label": partner.get_role_display(),
                "responsibilities": partner.responsibilities,
                "letter": _attachment(partner.letter),
                "resources": [
                    {
                        "fiscal_year": r.fiscal_year,
                        "kind": r.kind,
                        "kind_label": r.get_kind_display(),
                        "amount": _money(r.amount),
                        "description": r.description,
                    }
                    for r in resources
                ],
                "committed_total": _money(sum((r.amount for r in resources), Decimal("0"))),
            }
        )
    data = {
        "format": SNAPSHOT_FORMAT,
        "application": {"id": app.pk, "number": app.number, "title": app.title},
        "submitted_at": submitted_at.isoformat(),
        "requested_amount": _money(app.requested_amount),
        "section_labels": dict(Application.Section.choices),
        "round": {
            "id": round_.pk,
            "code": round_.code,
            "name": round_.name,
            "program": round_.program.name,
            "kind": round_.kind,
            "kind_label": round_.get_kind_display(),
            "opens_at": _when(round_.opens_at),
            "closes_at": _when(round_.closes_at),
            "fiscal_years": years,
        },
        "category": {
            "id": app.category.pk,
            "name": app.category.name,
            "maximum_award": _money(app.category.maximum_award),
        },
        "consortium": {
            "id": consortium.pk,
            "name": consortium.name,
            "region": consortium.region.name,
            "counties_served": [c.name for c in consortium.counties_served.all()],
            "labor_market_region": consortium.labor_market_region,
            "lead_agency": _organization(consortium.lead_agency),
            "members": [
                {**_organization(m.organization), "role": m.role, "role_label": m.get_role_display()}
                for m in consortium.memberships.all()
            ],
        },
        "summary": {"title": app.title, "summary": app.summary},
        "target_group": {
            "target_group": app.target_group,
            "grades_served": app.grades_served,
            "students_served": app.students_served,
        },
        "need": {"need_statement": app.need_statement, "labor_market": app.labor_market},
        "programs": [
            {
                "name": p.name,
                "sector": p.sector,
                "sector_label": p.get_sector_display(),
                "k12_sequence": p.k12_sequence,
                "postsecondary_sequence": p.postsecondary_sequence,
                "dual_enrollment": p.dual_enrollment,
                "articulation": p.articulation,
                "work_based_learning": p.work_based_learning,
                "student_internships": p.student_internships,
                "teacher_internships": p.teacher_internships,
                "students_by_year": [{"fiscal_year": y, "students": p.students_by_year.get(y)} for y in years],
            }
            for p in app.programs.all()
        ],
        "partners": partners,
        "committed_total": _money(sum((Decimal(p["committed_total"]) for p in partners), Decimal("0"))),
        "budget": _budget(app, years),
        "narratives": [
            {
                "criterion_id": c.pk,
                "criterion": c.name,
                "description": c.description,
                "max_points": str(c.max_points),
                "text": answers.get(c.pk, ""),
            }
            for c in round_.criteria.all()
        ],
        "attachments": [_attachment(a) for a in app.attachments.all()],
    }
    # Round-trip through the canonical form so that what is stored is exactly what was hashed.
    return json.loads(canonical_json(data))


def submitted_files(data: dict) -> list[dict]:
    """Every file a snapshot names, once each (a commitment letter is also among the attachments), with what it was
    submitted as (`submitted_as`). Parts of another shape (an older or altered snapshot) name no file."""
    attachments = data.get("attachments") if isinstance(data, dict) else None
    files = {
        a["id"]: {**a, "submitted_as": a.get("required_attachment") or "Other supporting file"}
        for a in _list(attachments)
        if isinstance(a, dict) and "id" in a
    }
    for partner in _list(data.get("partners") if isinstance(data, dict) else None):
        letter = partner.get("letter") if isinstance(partner, dict) else None
        if isinstance(letter, dict) and "id" in letter:
            organization = partner.get("organization")
            name = organization.get("name", "") if isinstance(organization, dict) else ""
            files[letter["id"]] = {**letter, "submitted_as": f"Commitment letter of {name}".strip()}
    return list(files.values())


def _list(value) -> list:
    return value if isinstance(value, list) else []


# The parts of a snapshot as build_snapshot writes them, by type. A snapshot whose parts are of other types (one
# stored by an older version, or altered) cannot be read through the page's layout: it is shown part by part, as
# stored (outline).
SHAPE = {
    "application": dict,
    "round": dict,
    "consortium": dict,
    "category": dict,
    "summary": dict,
    "target_group": dict,
    "need": dict,
    "programs": list,
    "partners": list,
    "budget": dict,
    "narratives": list,
    "attachments": list,
    "submitted_at": str,
}


def readable_snapshot(data: dict, *, file_url=None) -> dict | None:
    """The snapshot with its times as datetimes, for templates (which show them in Pacific time); None when it does
    not have the shape build_snapshot writes (then show `outline(data)`).

    `file_url(attachment_id)`, when given, is where the person reading may open each file (`url` on each file).
    """
    if not isinstance(data, dict) or not {"application", "round"} <= data.keys():
        return None
    if any(key in data and not isinstance(data[key], kind) for key, kind in SHAPE.items()):
        return None

    def parse(value):
        return datetime.fromisoformat(value) if value else None

    def file(attachment: dict) -> dict:
        readable = {**attachment, "uploaded_at": parse(attachment.get("uploaded_at"))}
        if file_url is not None:
            readable["url"] = file_url(attachment["id"])
        return readable

    # Copies of only the parts it changes (the stored data stays as it is): a whole copy of a large snapshot
    # took as long as the rest of its page.
    try:
        return {
            **data,
            "submitted_at": parse(data.get("submitted_at")),
            "round": {**data["round"], **{key: parse(data["round"].get(key)) for key in ("opens_at", "closes_at")}},
            "attachments": [file(a) for a in data.get("attachments", [])],
            "partners": [{**p, "letter": p.get("letter") and file(p["letter"])} for p in data.get("partners", [])],
        }
    except (AttributeError, KeyError, TypeError, ValueError):  # a part inside of another shape, or a bad time
        return None


def outline(value, label: str = "") -> dict:
    """Any snapshot as nested labelled parts ({"label", "children"} or {"label", "text"}), to show one that
    readable_snapshot cannot read: every part as it was stored."""
    if isinstance(value, dict):
        children = [outline(item, str(key).replace("_", " ").capitalize()) for key, item in value.items()]
        return {"label": label, "children": children}
    if isinstance(value, list):
        return {"label": label, "children": [outline(item, f"{n}.") for n, item in enumerate(value, start=1)]}
    return {"label": label, "text": "" if value is None else str(value)}
