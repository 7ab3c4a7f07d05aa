"""In a real browser: the budget's running totals leave out what cannot be saved, an invalid text box is marked as
an invalid select box is, and every page has its icon."""

import re

import pytest
from playwright.sync_api import expect

INVALID = re.compile(r"(^|\s)is-invalid(\s|$)")


def _totals(page) -> list[str]:
    return page.locator("output[data-row-total], output[data-column-total], [data-grand-total]").all_text_contents()


@pytest.mark.django_db(transaction=True)
def test_the_running_total_leaves_out_negative_and_unreadable_amounts(applicant, live_server, draft):
    page = applicant
    page.goto(f"{live_server.url}/applications/{draft.pk}/sections/budget/")
    cells = page.locator("input[data-row][data-column]")

    cells.nth(0).fill("70,000")
    cells.nth(1).fill("-500")
    cells.nth(2).fill("$1,250.50")
    cells.nth(5).fill("lots")

    expect(page.locator("output[data-grand-total]")).to_have_text("$71,250.50")
    expect(page.locator('output[data-row-total="1000"]')).to_have_text("$71,250.50")
    assert not [total for total in _totals(page) if "-" in total]
    expect(cells.nth(1)).to_have_class(INVALID)
    expect(cells.nth(5)).to_have_class(INVALID)
    expect(cells.nth(0)).not_to_have_class(INVALID)


@pytest.mark.django_db(transaction=True)
def test_amounts_typed_before_the_pages_script_runs_count_in_the_total(applicant, live_server, draft):
    page = applicant
    held = []
    page.route(
        re.compile(r"/static/js/application-form[^/]*\.js"), lambda route: held.append(route)
    )  # as on a slow line
    page.goto(f"{live_server.url}/applications/{draft.pk}/sections/budget/", wait_until="commit")
    cells = page.locator("input[data-row][data-column]")
    cells.nth(0).fill("70,000")
    cells.nth(1).fill("$1,250.50")
    expect(page.locator("output[data-grand-total]")).to_have_text("$0.00")  # the server's figure, nothing saved

    held[0].continue_()

    expect(page.locator("output[data-grand-total]")).to_have_text("$71,250.50")


@pytest.mark.django_db(transaction=True)
def test_an_invalid_text_box_has_the_red_border_of_an_invalid_select(applicant, live_server, draft, assert_accessible):
    page = applicant
    page.goto(f"{live_server.url}/applications/{draft.pk}/sections/budget/")
    page.locator("input[data-row][data-column]").first.fill("-500")

    page.get_by_role("button", name="Save budget").click()

    cell = page.locator("input[data-row][data-column]").first
    expect(cell).to_have_attribute("aria-invalid", "true")
    expect(cell).to_have_accessible_description("Enter an amount of $0 or more.")
    border = cell.evaluate("e => getComputedStyle(e).borderTopColor")
    invalid = page.evaluate(
        "() => { const s = document.createElement('select'); s.className = 'form-select is-invalid';"
        " document.body.append(s); const c = getComputedStyle(s).borderTopColor; s.remove(); return c; }"
    )
    assert border == invalid != "rgb(108, 117, 125)"  # the red of an invalid select, not the usual grey
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_pages_have_an_icon_and_the_browser_finds_it(applicant, live_server):
    page = applicant
    failed = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)

    page.goto(f"{live_server.url}/applications/")

    icon = page.request.get(f"{live_server.url}/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"] == "image/x-icon"
    svg = page.locator('link[rel="icon"][type="image/svg+xml"]').get_attribute("href")
    assert page.request.get(f"{live_server.url}{svg}").status == 200
    assert failed == []
