"""Both dialects answer JSON whatever the Accept header asks for, as Mastodon's API does."""

import pytest

from statuses import services


@pytest.mark.parametrize("accept", ["text/html", "application/xml", "image/png;q=0.5", ""])
def test_status_is_json_whatever_the_accept_header(anon, alice, accept):
    status = services.status_create(account=alice, text="negotiated", visibility="public")
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    for path in (f"/api/v1/statuses/{status.pk}", f"/api/v2/status/{status.pk}/"):
        response = anon.get(path, **headers)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response.json()["id"] in (str(status.pk), status.pk)


def test_error_is_json_whatever_the_accept_header(anon):
    response = anon.get("/api/v1/statuses/999999", HTTP_ACCEPT="text/html")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert set(response.json()) == {"error"}
