"""End to end: Mastodon.py's status_translate through a live server and a local LibreTranslate."""

import pytest
from mastodon import MastodonAPIError, MastodonNotFoundError, MastodonServiceUnavailableError

from tests.translation_fakes import FakeLibreTranslate

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def libre(settings):
    fake = FakeLibreTranslate(api_key="e2e-key").start()
    settings.DEEPL_API_KEY = ""
    settings.LIBRE_TRANSLATE_ENDPOINT = fake.url
    settings.LIBRE_TRANSLATE_API_KEY = "e2e-key"
    yield fake
    fake.stop()


def test_mastodon_py_translates_a_status(mastodon_py, libre):
    alice, bob = mastodon_py("tr_alice"), mastodon_py("tr_bob")
    assert alice.instance_v2()["configuration"]["translation"]["enabled"] is True
    post = alice.status_post("Hola mundo", language="es", spoiler_text="Cuidado")

    translated = bob.status_translate(post["id"], lang="de")
    assert translated["content"] == "<p>Hallo Welt</p>"
    assert translated["spoiler_text"] == "Cuidado"
    assert translated["language"] == "de"
    assert translated["detected_source_language"] == "es"
    assert translated["provider"] == "LibreTranslate"
    assert translated["poll"] is None and translated["media_attachments"] == []
    english = bob.status_translate(post)  # no lang: the default locale
    assert english["content"] == "<p>Hello world</p>" and english["spoiler_text"] == "Careful"
    assert [c.body["target"] for c in libre.calls("/translate")] == ["de", "en"]
    assert bob.status_translate(post["id"], lang="de") == translated  # from the cache
    assert len(libre.calls("/translate")) == 2

    private = alice.status_post("Hola gato", language="es", visibility="private")
    with pytest.raises(MastodonNotFoundError):
        bob.status_translate(private["id"], lang="en")
    with pytest.raises(MastodonAPIError) as refused:
        alice.status_translate(private["id"], lang="en")
    assert refused.value.args[1] == 403
    assert refused.value.args[3] == "This action is not allowed"

    libre.translate_answer = 429
    fresh = alice.status_post("Hola perro", language="es")
    with pytest.raises(MastodonServiceUnavailableError) as unavailable:
        bob.status_translate(fresh["id"], lang="en")
    assert unavailable.value.args[3] == (
        "There have been too many requests to the translation service recently.")


def test_mastodon_py_without_a_provider(mastodon_py, settings):
    settings.DEEPL_API_KEY = ""
    settings.LIBRE_TRANSLATE_ENDPOINT = ""
    alice = mastodon_py("tr_carol")
    assert alice.instance_v2()["configuration"]["translation"]["enabled"] is False
    post = alice.status_post("Hola", language="es")
    with pytest.raises(MastodonNotFoundError):
        alice.status_translate(post["id"], lang="en")
