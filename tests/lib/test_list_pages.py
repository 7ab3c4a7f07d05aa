"""Every list page puts its table's headings in the table, not in the page's <head> (templates/list.html)."""

import pytest
from django.urls import reverse

from tests.factories import AwardFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_list_pages_column_headings_are_in_its_table_not_in_the_document_head(client):
    award = AwardFactory()
    client.force_login(UserFactory(role="Program staff"))

    html = client.get(reverse("awards:round-awards", args=[award.round_id])).content.decode()

    head = html[html.index("<head>") : html.index("</head>")]
    table_head = html[html.index("<thead>") : html.index("</thead>")]
    assert "Award notice" not in head
    assert ">Award notice</th>" in table_head
