from lms.auth.models import Role
from tests.factories import login, make_user


def test_home_redirects_anonymous_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_coordinator_sees_people(client, session):
    coordinator = make_user(session, Role.COORDINATOR, display_name="Kadri")
    make_user(session, display_name="Zoe Trainee")
    login(client, coordinator)
    page = client.get("/users/").get_data(as_text=True)
    assert "Zoe Trainee" in page


def test_rollback_between_tests(session):
    import sqlalchemy as sa

    from lms.auth.models import User

    assert session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
