"""Editing a draft round's rows: funding categories, rubric, competitive priorities and required attachments."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grants.applications.models import NarrativeResponse
from grants.programs.models import CompetitivePriority, Criterion, FundingCategory, RequiredAttachment

from ..factories import ApplicationFactory, configured_round
from ..helpers import formset_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_():
    return configured_round(funds_available=Decimal("10000000.00"), minimum_fundable_score=Decimal("50"))


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _post(client, round_, section, rows, **extra):
    """Post the rows as the page would: saved rows first (with their id), then new ones."""
    data = {**formset_data("rows", rows), **extra}
    return client.post(reverse(f"programs:round-{section}", args=[round_.pk]), data)


def _category(round_, **changes):
    category = round_.categories.get()
    row = {"id": category.pk, "name": category.name, "maximum_award": "1000000.00", "planned_grants": 2, "position": 0}
    return {**row, **changes}


def _criteria(round_):
    return [
        {"id": c.pk, "name": c.name, "max_points": c.max_points, "weight": c.weight, "response_limit": 2000}
        for c in round_.criteria.all()
    ]


def _errors(response):
    return [form.errors for form in response.context["formset"]]


def test_an_administrator_adds_and_removes_funding_categories_in_one_save(admin_client, round_):
    response = _post(
        admin_client,
        round_,
        "categories",
        [
            _category(round_, DELETE="on"),
            {"name": "$6 million", "maximum_award": "$6,000,000", "planned_grants": 1, "position": 1},
            {"name": "$600,000", "maximum_award": "600000", "planned_grants": 5, "position": 2},
            {},  # the blank row left empty
        ],
    )
    assert response.status_code == 302
    assert list(round_.categories.values_list("name", "maximum_award", "planned_grants")) == [
        ("$6 million", Decimal("6000000.00"), 1),
        ("$600,000", Decimal("600000.00"), 5),
    ]


def test_a_maximum_award_above_the_rounds_funds_is_refused_next_to_the_field(admin_client, round_):
    response = _post(admin_client, round_, "categories", [_category(round_, maximum_award="10,000,000.01")])
    assert _errors(response)[0] == {
        "maximum_award": [
            "The maximum award ($10,000,000.01) cannot exceed the round's funds available ($10,000,000.00)."
        ]
    }
    assert 'value="10,000,000.01"' in response.content.decode()
    assert round_.categories.get().maximum_award == Decimal("1000000.00")


def test_the_page_shows_what_the_categories_plan_against_the_funds(admin_client, round_):
    html = admin_client.get(reverse("programs:round-categories", args=[round_.pk])).content.decode()
    assert "Funds available: <strong>$10,000,000.00</strong>" in html
    assert "The saved categories plan <strong>$2,000,000.00</strong>" in html


def test_two_rows_with_the_same_name_are_refused_on_the_second_row(admin_client, round_):
    response = _post(
        admin_client,
        round_,
        "categories",
        [_category(round_), {"name": "LARGE", "maximum_award": "5000", "planned_grants": 1}],
    )
    assert _errors(response) == [
        {},
        {"name": ["Another funding category in this round is already named “LARGE”; names must be unique."]},
    ]
    assert "Nothing was saved." in response.content.decode()
    assert round_.categories.count() == 1


def test_bad_numbers_are_reported_next_to_their_fields_and_kept(admin_client, round_):
    response = _post(
        admin_client,
        round_,
        "categories",
        [_category(round_), {"name": "Small", "maximum_award": "-5", "planned_grants": "0"}],
    )
    assert _errors(response)[1] == {
        "maximum_award": ["Enter an amount more than $0."],
        "planned_grants": ["Plan at least one grant."],
    }
    assert 'value="-5"' in response.content.decode()


def test_a_category_an_application_uses_cannot_be_removed(admin_client, round_):
    ApplicationFactory(round=round_, category=round_.categories.get())
    response = _post(admin_client, round_, "categories", [_category(round_, DELETE="on")])
    assert response.status_code == 200
    assert list(response.context["formset"].non_form_errors()) == [
        "“Large” cannot be removed: it is used by 1 application."
    ]
    assert round_.categories.count() == 1


def test_rows_swapping_names_are_refused_without_an_error_page(admin_client, round_):
    first = round_.categories.get()
    second = FundingCategory.objects.create(round=round_, name="Small", maximum_award=100, planned_grants=1)
    response = _post(
        admin_client,
        round_,
        "categories",
        [
            {"id": first.pk, "name": "Small", "maximum_award": "100", "planned_grants": 1},
            {"id": second.pk, "name": "Large", "maximum_award": "100", "planned_grants": 1},
        ],
    )
    assert response.status_code == 200
    assert "two rows would have the same name at the same moment" in response.content.decode()
    assert set(round_.categories.values_list("name", flat=True)) == {"Large", "Small"}
    first.refresh_from_db()
    assert first.name == "Large"


def test_a_missing_management_form_is_an_error_not_a_crash(admin_client, round_):
    response = admin_client.post(reverse("programs:round-categories", args=[round_.pk]), {"rows-0-name": "X"})
    assert response.status_code == 200
    assert "ManagementForm data is missing or has been tampered with" in response.content.decode()


def test_the_rubric_saves_criteria_with_the_minimum_fundable_total(admin_client, round_):
    rows = _criteria(round_) + [
        {"name": "Work-based learning", "max_points": "10", "weight": "1.5", "response_limit": "3000", "position": 2}
    ]
    response = _post(admin_client, round_, "rubric", rows, **{"rubric-minimum_fundable_score": "80"})
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.minimum_fundable_score == Decimal("80.00")
    assert round_.rubric_total() == Decimal("115.00")
    added = round_.criteria.get(name="Work-based learning")
    assert (added.weight, added.response_limit) == (Decimal("1.50"), 3000)


def test_a_minimum_above_the_weighted_rubric_is_refused_and_nothing_is_saved(admin_client, round_):
    rows = _criteria(round_) + [{"name": "Extra", "max_points": "5", "weight": "1", "response_limit": "3000"}]
    response = _post(admin_client, round_, "rubric", rows, **{"rubric-minimum_fundable_score": "105.5"})
    assert response.status_code == 200
    assert response.context["rubric"].errors == {
        "minimum_fundable_score": [
            "The minimum fundable total (105.50) is higher than the rubric's weighted maximum (105.00). "
            "Lower it, or add points to the rubric."
        ]
    }
    assert not Criterion.objects.filter(name="Extra").exists()
    assert "New criterion (3)" in response.content.decode()  # still shown as new: nothing was saved
    round_.refresh_from_db()
    assert round_.minimum_fundable_score == Decimal("50")


def test_bad_criterion_values_are_reported_next_to_the_fields(admin_client, round_):
    rows = _criteria(round_) + [{"name": "Extra", "max_points": "0.25", "weight": "-1", "response_limit": "50"}]
    response = _post(admin_client, round_, "rubric", rows, **{"rubric-minimum_fundable_score": "50"})
    assert _errors(response)[2] == {
        "max_points": ["A criterion is worth at least 0.5 points."],
        "weight": ["The weight cannot be negative."],
        "response_limit": ["Allow at least 100 characters for the narrative."],
    }


def test_a_criterion_with_narratives_written_cannot_be_removed(admin_client, round_):
    need = round_.criteria.get(name="Need")
    NarrativeResponse.objects.create(application=ApplicationFactory(round=round_), criterion=need, text="...")
    rows = _criteria(round_)
    rows[0]["DELETE"] = "on"
    response = _post(admin_client, round_, "rubric", rows, **{"rubric-minimum_fundable_score": "0"})
    assert list(response.context["formset"].non_form_errors()) == [
        "“Need” cannot be removed: it is used by 1 narrative response."
    ]
    assert round_.criteria.filter(pk=need.pk).exists()


@pytest.mark.parametrize(
    ("use", "points", "message"),
    [
        ("tie_break", "2", "A tie-break priority adds no points: set bonus points to 0."),
        ("bonus", "0", "Give the bonus points this priority adds (more than 0)."),
    ],
)
def test_priorities_points_must_match_their_use(admin_client, round_, use, points, message):
    priority = round_.priorities.get()
    response = _post(
        admin_client,
        round_,
        "priorities",
        [{"id": priority.pk, "name": priority.name, "use": use, "bonus_points": points}],
    )
    assert _errors(response)[0] == {"bonus_points": [message]}


def test_an_administrator_adds_a_tie_break_priority(admin_client, round_):
    priority = round_.priorities.get()
    response = _post(
        admin_client,
        round_,
        "priorities",
        [
            {"id": priority.pk, "name": priority.name, "use": "bonus", "bonus_points": "3"},
            {"name": "Rural region", "use": "tie_break", "bonus_points": "0", "description": "EC 53016"},
        ],
    )
    assert response.status_code == 302
    assert list(round_.priorities.values_list("name", "use", "bonus_points")) == [
        ("High dropout region", CompetitivePriority.Use.BONUS, Decimal("3.00")),
        ("Rural region", CompetitivePriority.Use.TIE_BREAK, Decimal("0.00")),
    ]


def test_an_administrator_edits_required_attachments(admin_client, round_):
    agreement = round_.required_attachments.get()
    response = _post(
        admin_client,
        round_,
        "required-attachments",
        [
            {"id": agreement.pk, "name": "Consortium agreement (signed)", "position": 1},
            {"name": "Budget workbook", "description": "The CDE template.", "position": 0},
        ],
    )
    assert response.status_code == 302
    assert list(round_.required_attachments.values_list("name", flat=True)) == [
        "Budget workbook",
        "Consortium agreement (signed)",
    ]


def test_required_attachment_names_must_be_unique(admin_client, round_):
    agreement = round_.required_attachments.get()
    response = _post(
        admin_client,
        round_,
        "required-attachments",
        [{"id": agreement.pk, "name": agreement.name}, {"name": agreement.name.lower()}],
    )
    assert _errors(response)[1] == {
        "name": [
            "Another required attachment in this round is already named “consortium agreement”; names must be unique."
        ]
    }
    assert RequiredAttachment.objects.filter(round=round_).count() == 1
