import pytest
from django.urls import reverse

from grants.applications.models import NarrativeResponse
from tests.factories import ApplicationFactory, CriterionFactory, OpenRoundFactory, contact_of
from tests.helpers import post_section, section_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def criterion():
    return CriterionFactory(
        round=OpenRoundFactory(),
        name="Need and regional labor market",
        description="Evidence of high-need, high-growth regional sectors.",
        response_limit=5000,
    )


@pytest.fixture
def application(criterion):
    return ApplicationFactory(round=criterion.round)


@pytest.fixture
def client(client, application):
    client.force_login(contact_of(application.consortium))
    return client


def save(client, application, text, criterion):
    return post_section(client, application, "narratives", {f"criterion_{criterion.pk}": text})


def test_each_criterion_shows_its_description_and_a_live_character_counter(client, application, criterion):
    save(client, application, "x" * 123, criterion)

    page = client.get(section_url(application, "narratives")).content.decode()

    assert "Evidence of high-need, high-growth regional sectors." in page
    assert (
        f'<p class="small mb-0" id="counter_criterion_{criterion.pk}" aria-live="polite"'
        f' data-counter-for="id_criterion_{criterion.pk}">123 of 5,000 characters</p>'
    ) in page
    assert f'data-counter="counter_criterion_{criterion.pk}"' in page
    assert 'data-char-limit="5000"' in page


def test_an_answer_over_the_limit_is_still_saved_and_flagged(client, application, criterion):
    response = save(client, application, "y" * 5010, criterion)

    assert response.status_code == 302
    assert len(NarrativeResponse.objects.get(application=application).text) == 5010
    page = client.get(section_url(application, "narratives")).content.decode()
    assert "5,010 of 5,000 characters: 10 over the limit" in page
    assert "Over the limit: saved as a draft; shorten it before submitting." in page
    overview = client.get(reverse("applications:application", args=[application.pk]))
    narratives = next(s for s in overview.context["sections"] if s.section == "narratives")
    assert not narratives.complete
    assert "“Need and regional labor market” is 5,010 characters; the limit is 5,000." in narratives.problems


def test_line_breaks_count_once_as_the_counter_shows_them(client, application, criterion):
    save(client, application, "first line\r\nsecond line", criterion)

    text = NarrativeResponse.objects.get().text
    assert text == "first line\nsecond line"
    assert "22 of 5,000 characters" in client.get(section_url(application, "narratives")).content.decode()


def test_clearing_an_answer_removes_it(client, application, criterion):
    save(client, application, "An answer", criterion)

    save(client, application, "   ", criterion)

    assert not NarrativeResponse.objects.exists()


def test_the_description_is_shown_as_text_not_markup(client, application, criterion):
    criterion.description = "<script>alert('x')</script>"
    criterion.save()

    page = client.get(section_url(application, "narratives")).content.decode()

    assert "<script>alert(" not in page
    assert "&lt;script&gt;" in page
