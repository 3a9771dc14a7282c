"""The error pages people may meet, in the NHS.UK style, and the favicon browsers ask for."""

import pytest
from django.test import Client
from django.urls import path

from tests.factories import SuperUserFactory
from tests.test_web_support import make_user, signed_in


def _boom(request):
    raise RuntimeError("an unexpected failure")


urlpatterns = [path("boom/", _boom)]


@pytest.mark.django_db
def test_an_unknown_address_gets_the_nhs_style_404(settings, client):
    settings.DEBUG = False
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "check you copied the entire address" in response.text
    assert "nhsuk-header" in response.text


@pytest.mark.django_db
def test_a_page_without_permission_gets_the_403_page(settings):
    settings.DEBUG = False
    response = signed_in(make_user(permissions=())).get("/vacancies/")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.text


@pytest.mark.django_db
def test_a_server_error_gets_the_500_page_without_the_details(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    client.force_login(SuperUserFactory())
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text
    assert "unexpected failure" not in response.text


@pytest.mark.django_db
def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("nhsuk/assets/images/favicon.ico")
