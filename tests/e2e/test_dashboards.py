"""Each demo role signs in through the real form and finds what its dashboard offers; pages pass axe."""

import re

import pytest
from playwright.sync_api import expect

CRANE = "Capital Region Academies for the Next Economy (CRANE)"


@pytest.mark.django_db(transaction=True)
def test_the_login_page_is_accessible_and_starts_in_the_email_field(page, live_server, assert_accessible):
    page.goto(f"{live_server.url}/accounts/login/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to CCPT Grants")
    expect(page.get_by_label("Email address")).to_be_focused()  # Django's login form autofocuses it
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_is_explained_on_the_login_page(page, live_server, demo, assert_accessible):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill("staff@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_text("Please enter a correct email address and password.")).to_be_visible()
    expect(page.get_by_label("Email address")).to_have_value("staff@example.org")
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("email", "role_line"),
    [("staff@example.org", "Program staff dashboard"), ("admin@example.org", "Administrator dashboard")],
)
def test_staff_and_administrators_see_program_counts_and_can_register_a_consortium(
    page, live_server, demo, login, assert_accessible, email, role_line
):
    login(page, live_server, email, demo["password"])

    expect(page.locator("main .lead")).to_contain_text(role_line)
    expect(page.get_by_role("heading", name="Program at a glance")).to_be_visible()
    expect(page.get_by_role("link", name="12 consortia")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^\d+ organizations$"))).to_be_visible()
    expect(page.get_by_role("link", name="Register a consortium")).to_be_visible()
    navigation = page.get_by_role("navigation", name="Main")
    expect(navigation.get_by_role("link", name="Administration")).to_have_count(0)  # the admin is the back office's
    expect(navigation.get_by_role("link", name="People")).to_have_count(1 if email.startswith("admin") else 0)
    assert_accessible(page)

    page.get_by_role("link", name="12 consortia").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consortia")
    expect(page.get_by_role("table", name="Consortia").get_by_role("row")).to_have_count(13)
    assert_accessible(page)

    page.get_by_role("link", name=CRANE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CRANE)
    expect(page.get_by_role("link", name="Invite a person")).to_be_visible()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_the_administrator_cannot_open_the_back_office(page, live_server, demo, login):
    login(page, live_server, "admin@example.org", demo["password"])

    page.goto(f"{live_server.url}/admin/")

    expect(page.get_by_text("You are authenticated as admin@example.org")).to_be_visible()
    expect(page.get_by_role("link", name="Regions")).to_have_count(0)


@pytest.mark.django_db(transaction=True)
def test_a_superuser_reaches_the_back_office_from_the_navigation(page, live_server, demo, login):
    from consortia.models import User

    User.objects.create_superuser(email="back-office@example.org", password=demo["password"])
    login(page, live_server, "back-office@example.org", demo["password"])

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Administration").click()

    expect(page).to_have_title(re.compile("CCPT Grants"))
    expect(page.get_by_role("link", name="Regions")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_the_reader_sees_their_reviews_and_no_program_management(page, live_server, demo, login, assert_accessible):
    login(page, live_server, "reader@example.org", demo["password"])

    expect(page.locator("main .lead")).to_contain_text("Reader dashboard")
    expect(page.get_by_role("heading", name="Your reviews")).to_be_visible()
    expect(page.get_by_role("link", name="Register a consortium")).to_have_count(0)
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_the_applicant_sees_crane_and_can_open_it(page, live_server, demo, login, assert_accessible):
    login(page, live_server, "applicant@example.org", demo["password"])

    expect(page.locator("main .lead")).to_contain_text("Consortium applicant dashboard")
    expect(page.get_by_role("heading", name="Your consortia")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("link", name=CRANE)).to_be_visible()
    expect(page.get_by_role("link", name="Register a consortium")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My consortia").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My consortia")
    expect(page.get_by_role("table", name="Consortia").get_by_role("link")).to_have_text([CRANE])
    assert_accessible(page)

    page.get_by_role("link", name=CRANE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CRANE)
    expect(page.get_by_role("heading", name="Composition checklist")).to_be_visible()
    expect(page.get_by_role("table", name="Member organizations")).to_contain_text(
        "Los Rios Community College District"
    )
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_an_applicant_who_guesses_another_consortiums_address_sees_the_not_allowed_page(
    page, live_server, demo, login, assert_accessible
):
    other = next(c for c in demo["consortia"] if c.name != CRANE)
    login(page, live_server, "applicant@example.org", demo["password"])

    response = page.goto(f"{live_server.url}/consortia/{other.pk}/")

    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
    expect(page.get_by_text(other.name)).to_have_count(0)
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/", "/consortia/"])
def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_main_content(page, live_server, demo, login, path):
    login(page, live_server, "staff@example.org", demo["password"])
    page.goto(live_server.url + path)

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")

    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("main a, main input").first).to_be_focused()


@pytest.mark.django_db(transaction=True)
def test_a_duplicate_official_code_is_shown_next_to_the_field_with_the_typed_values_kept(
    page, live_server, demo, login, assert_accessible
):
    taken = demo["consortia"][0].lead_agency
    taken.code = "34103480000000"
    taken.save()
    login(page, live_server, "staff@example.org", demo["password"])
    page.goto(f"{live_server.url}/organizations/new/")

    page.get_by_label("Name").fill("Folsom Cordova Unified School District")
    page.get_by_label("Kind").select_option(label="School district")
    page.get_by_label("County").select_option(label="Sacramento")
    page.get_by_label("Official code").fill("34103480000000")
    page.get_by_role("button", name="Save").click()

    code = page.get_by_label("Official code")
    expect(code).to_have_attribute("aria-invalid", "true")
    expect(code).to_have_accessible_description(re.compile("Another organization already has this official code."))
    expect(page.get_by_label("Name")).to_have_value("Folsom Cordova Unified School District")
    assert_accessible(page)
