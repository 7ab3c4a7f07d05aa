import pytest

from grants import demo


@pytest.mark.django_db
@pytest.mark.parametrize("email", [u[0] for u in demo.DEMO_USERS])
def test_every_demo_user_reaches_their_dashboard_and_consortia(client, email):
    demo.load()
    assert client.login(email=email, password=demo.DEMO_PASSWORD)
    assert client.get("/").status_code == 200
    response = client.get("/consortia/")
    assert response.status_code == 200
