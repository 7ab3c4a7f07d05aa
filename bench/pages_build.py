"""The people, the program, the round and the organizations of bench/pages.py's data, and one application, all
made through the site's own services as people make them: the administrator's program and round (categories,
rubric, priorities, required attachments; opened), staff and readers given their roles by the administrator, and a
consortium's application started, filled in section by section through the section forms and drafts.save_section,
its required files uploaded and submitted (snapshot, checksum, status history). pages_apply.py makes the consortia
and all the applications with these, pages_review.py what follows.

Organizations and readers' accounts are inserted in bulk (organizations with their history records), as the
organization form and signing up make them one at a time.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import pages_text as text

CODE = "bench-pages"
ADMIN, STAFF = "bench-admin@example.org", "bench-staff@example.org"
READER, LEAD = "bench-reader{i:04d}@example.org", "bench-lead{i:05d}@example.org"
COLLEGES, EMPLOYERS, WORKFORCE = 110, 600, 40
# Round 1 of the Trust: name, maximum award, planned grants.
CATEGORIES = [
    ("Up to $15,000,000", "15000000", 10),
    ("Up to $6,000,000", "6000000", 15),
    ("Up to $600,000", "600000", 15),
]
# Minimal PDFs (named objects only, nothing active), one per file so that checksums differ.
PDF = (
    b"%%PDF-1.4\n%% %s\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%%%EOF\n"
)


def people(readers: int):
    """The administrator (made as `createsuperuser` and a role would), program staff and the readers, given their
    roles by the administrator (consortia.services.change_roles: audited). Returns (admin, staff, readers)."""
    from django.contrib.auth.models import Group

    from consortia.models import User
    from consortia.roles import Role
    from consortia.services import change_roles

    admin = User.objects.create_user(ADMIN, first_name="Avery", last_name="Administrator")
    admin.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
    staff = User.objects.create_user(STAFF, first_name="Sam", last_name="Staff")
    change_roles(person=staff, roles={Role.PROGRAM_STAFF}, active=True, reason="Program office staff.", by=admin)
    pool = User.objects.bulk_create(
        User(email=READER.format(i=i), first_name=text.FIRST[i % len(text.FIRST)], last_name=f"Reader {i}")
        for i in range(readers)
    )
    for person in pool:
        person.set_unusable_password()
        change_roles(person=person, roles={Role.READER}, active=True, reason="Reader panel.", by=admin)
    return admin, staff, pool


def program_and_round(admin, now):
    """The Trust with its two appropriations, and its round configured and opened by the administrator."""
    from grants import demo, workflow
    from grants.programs import services
    from grants.programs.models import (
        Appropriation,
        CompetitivePriority,
        Criterion,
        FundingCategory,
        Program,
        RequiredAttachment,
        Round,
    )

    program = services.save_program(
        program=Program(name="California Career Pathways Trust", legal_basis="AB 86 (2013); SB 858 (2014)."),
        changed=[
            Appropriation(amount=Decimal("250000000"), source="AB 86 (2013)", fiscal_years="2013-14"),
            Appropriation(amount=Decimal("250000000"), source="SB 858 (2014)", fiscal_years="2014-15"),
        ],
        deleted=[],
        by=admin,
    )
    round_ = services.create_round(
        round_=Round(
            program=program,
            name="Benchmark round: implementation grants",
            code=CODE,
            funds_available=Decimal("249750000.00"),
            # Applications close after the build; staff close the round once every application is in.
            opens_at=now - timedelta(days=60),
            closes_at=now + timedelta(days=2),
            review_due_at=now + timedelta(days=30),
            grant_start_year=2026,
            required_composition=["k12", "college", "business"],
            match_percent=Decimal("10"),
        ),
        by=admin,
    )

    def rows(model, values, **extra):
        return [model(round=round_, position=i, **row) for i, row in enumerate(values)]

    rows_of = {
        "categories": rows(
            FundingCategory, [{"name": n, "maximum_award": Decimal(m), "planned_grants": p} for n, m, p in CATEGORIES]
        ),
        "rubric": rows(Criterion, [{"name": n, "description": d, "max_points": Decimal(p)} for n, d, p in demo.RUBRIC]),
        "priorities": rows(
            CompetitivePriority,
            [{"name": n, "use": u, "bonus_points": Decimal(b)} for n, u, b in demo.PRIORITIES],
        ),
        "attachments": rows(RequiredAttachment, [{"name": n} for n in text.REQUIRED_ATTACHMENTS]),
    }
    for section, changed in rows_of.items():
        minimum = Decimal("60") if section == "rubric" else None
        services.save_round_rows(round_=round_, changed=changed, deleted=[], by=admin, minimum_fundable_score=minimum)
    workflow.transition(round_, Round.Status.OPEN, by=admin)
    return program, round_


def organizations(size: int, rng: random.Random, staff):
    """Lead agencies (one per consortium), community colleges, employers and workforce boards, with history
    records as the organization form makes them. Returns (leads, colleges, employers, boards)."""
    from simple_history.utils import bulk_create_with_history

    from consortia.models import County, Organization

    K = Organization.Kind
    counties = list(County.objects.all())
    lead_kinds = [K.SCHOOL_DISTRICT, K.SCHOOL_DISTRICT, K.COUNTY_OFFICE, K.COMMUNITY_COLLEGE, K.CHARTER_SCHOOL]

    def made(rows):
        return bulk_create_with_history([Organization(**row) for row in rows], Organization, default_user=staff)

    leads = made(
        {
            "name": f"{rng.choice(text.PLACES)} {text.KIND_NAMES[lead_kinds[i % 5]]} {i + 1:05d}",
            "kind": lead_kinds[i % 5],
            "is_direct_funded": lead_kinds[i % 5] == K.CHARTER_SCHOOL,
            "county": counties[i % len(counties)],
        }
        for i in range(size)
    )
    colleges = made(
        {
            "name": f"{text.PLACES[i % len(text.PLACES)]} Community College District {i}",
            "kind": K.COMMUNITY_COLLEGE,
            "county": counties[i % len(counties)],
        }
        for i in range(COLLEGES)
    )
    employers = made(
        {
            "name": f"{rng.choice(text.EMPLOYER_WORDS)} {rng.choice(text.EMPLOYER_KINDS)} {i}",
            "kind": K.BUSINESS,
            "county": counties[i % len(counties)],
        }
        for i in range(EMPLOYERS)
    )
    boards = made(
        {
            "name": f"{text.PLACES[i % len(text.PLACES)]} Workforce Development Board {i}",
            "kind": K.WORKFORCE_BOARD,
            "county": counties[i % len(counties)],
        }
        for i in range(WORKFORCE)
    )
    return leads, colleges, employers, boards


def application(round_, consortium, category, lead, rng: random.Random, *, submit: bool = True):
    """One consortium's application, made as its lead contact makes it: started, every section saved through its
    form, the required files uploaded, then submitted (its screening is background work). Returns it."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.http import QueryDict

    from grants.applications.forms.sections import section_form
    from grants.applications.services import attachments, drafts, submission

    app = drafts.start_application(round_=round_, consortium=consortium, category=category, by=lead)
    for section, data in text.sections(app, consortium, rng).items():
        posted = QueryDict(mutable=True)
        for key, value in data.items():
            posted.setlist(key, value if isinstance(value, list) else [value])
        form = section_form(section, app, posted)
        form.is_valid()  # what save_section asks first, asked before it locks the round's row: processes overlap
        version = app.section_version(section)
        if not drafts.save_section(application=app, section=section, version=version, form=form, by=lead, data=posted):
            raise RuntimeError(f"{app.number} {section}: {form.errors or form.non_form_errors()}")
    for required in round_.required_attachments.all():
        upload = SimpleUploadedFile(f"{required.name}.pdf", PDF % app.number.encode(), "application/pdf")
        attachments.upload_attachment(application=app, upload=upload, by=lead, required_attachment=required)
    if submit:
        submission.submit_application(application=app, by=lead)
    return app
