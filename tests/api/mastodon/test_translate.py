"""POST /api/v1/statuses/:id/translate (spec N, 3.10) against local LibreTranslate and DeepL servers
that speak the real protocols, and `configuration.translation.enabled` of /api/v2/instance."""

import io
import time

import pytest
from PIL import Image

from statuses import translation
from statuses.models import Status
from statuses.selectors import translation as translation_selectors
from tests.factories import FollowFactory
from tests.translation_fakes import EVIL, FakeDeepL, FakeLibreTranslate

NOT_ALLOWED = {"error": "This action is not allowed"}
NOT_FOUND = {"error": "Not Found"}
QUOTA = {"error": "The server-wide usage quota for the translation service has been exceeded."}
TOO_MANY = {"error": "There have been too many requests to the translation service recently."}
UNAVAILABLE = {"error": "Service Unavailable"}
KEYS = ["detected_source_language", "language", "provider", "spoiler_text", "content", "poll",
        "media_attachments"]


@pytest.fixture(autouse=True)
def _no_provider(settings, tmp_path):
    """Whatever the environment says, a test starts with no provider and its own media root."""
    settings.DEEPL_API_KEY = ""
    settings.DEEPL_API_URL = ""
    settings.DEEPL_PLAN = "free"
    settings.LIBRE_TRANSLATE_ENDPOINT = ""
    settings.LIBRE_TRANSLATE_API_KEY = ""
    settings.TRANSLATION_TIMEOUT = 5
    settings.DEFAULT_LOCALE = "en"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def libre(settings):
    fake = FakeLibreTranslate(api_key="lt-secret").start()
    settings.LIBRE_TRANSLATE_ENDPOINT = fake.url + "/"
    settings.LIBRE_TRANSLATE_API_KEY = "lt-secret"
    yield fake
    fake.stop()


@pytest.fixture
def deepl(settings):
    fake = FakeDeepL(api_key="dl-secret:fx").start()
    settings.DEEPL_API_KEY = "dl-secret:fx"
    settings.DEEPL_API_URL = fake.url
    yield fake
    fake.stop()


@pytest.fixture(params=["libre", "deepl"])
def provider(request):
    """Each test with this fixture runs once per provider."""
    return request.getfixturevalue(request.param)


def png() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (12, 8), (20, 120, 200)).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "photo.png"
    return buffer


def media(client, description=""):
    response = client.post("/api/v1/media", {"file": png(), "description": description},
                           format="multipart")
    assert response.status_code == 200, response.content
    return response.json()["id"]


def post(client, text="Hola mundo", **fields):
    response = client.post("/api/v1/statuses", {"status": text, "language": "es", **fields},
                           format="json")
    assert response.status_code == 200, response.content
    return response.json()


def translate(client, status_id, **kwargs):
    return client.post(f"/api/v1/statuses/{status_id}/translate", **kwargs)


# --- the entity -----------------------------------------------------------------------------

def test_translates_content_spoiler_and_media_descriptions_with_libretranslate(alice_client,
                                                                              libre):
    ids = [media(alice_client, "Un gato"), media(alice_client), media(alice_client, "Foto")]
    status = post(alice_client, "Hola mundo", spoiler_text="Cuidado", media_ids=ids)
    response = translate(alice_client, status["id"], data={"lang": "en"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert list(body) == KEYS
    assert body == {
        "detected_source_language": "es",
        "language": "en",
        "provider": "LibreTranslate",
        "spoiler_text": "Careful",
        "content": "<p>Hello world</p>",
        "poll": None,
        "media_attachments": [{"id": ids[0], "description": "A cat"},
                              {"id": ids[1], "description": ""},
                              {"id": ids[2], "description": "Photo"}],
    }
    [call] = libre.calls("/translate")
    # One request, in order: content (HTML), spoiler and described media (escaped text).
    assert call.method == "POST" and call.headers["Content-Type"] == "application/json"
    assert call.body == {"q": ["<p>Hola mundo</p>", "Cuidado", "Un gato", "Foto"],
                         "source": "es", "target": "en", "format": "html",
                         "api_key": "lt-secret"}
    assert [r.path for r in libre.requests] == ["/languages", "/translate"]


def test_translates_with_deepl_over_its_form_protocol(alice_client, deepl):
    described = media(alice_client, "Un perro")
    status = post(alice_client, "Hola mundo", spoiler_text="Cuidado", media_ids=[described])
    response = translate(alice_client, status["id"], data={"lang": "de"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert list(body) == KEYS
    assert body == {
        "detected_source_language": "es", "language": "de", "provider": "DeepL.com",
        "spoiler_text": "Cuidado", "content": "<p>Hallo Welt</p>", "poll": None,
        "media_attachments": [{"id": described, "description": "Un Hund"}],
    }
    languages = deepl.calls("/v2/languages")
    assert sorted(r.query["type"][0] for r in languages) == ["source", "target"]
    [call] = deepl.calls("/v2/translate")
    assert call.headers["Authorization"] == "DeepL-Auth-Key dl-secret:fx"
    assert call.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert call.body == {"text": ["<p>Hola mundo</p>", "Cuidado", "Un perro"],
                         "source_lang": ["ES"], "target_lang": ["de"], "tag_handling": ["html"]}
    assert all(r.headers["Authorization"] == "DeepL-Auth-Key dl-secret:fx"
               for r in deepl.requests)


def test_entity_types(alice_client, provider):
    status = post(alice_client, media_ids=[media(alice_client, "Foto")])
    body = translate(alice_client, status["id"]).json()
    for key in KEYS[:5]:
        assert isinstance(body[key], str), key
    assert body["poll"] is None
    assert all(set(m) == {"id", "description"} and isinstance(m["id"], str)
               and isinstance(m["description"], str) for m in body["media_attachments"])


def test_html_links_mentions_and_hashtags_are_kept(alice_client, bob, provider):
    status = post(alice_client, "Hola @bob mundo #gato https://example.com/hola")
    assert status["content"] == (
        '<p>Hola <span class="h-card" translate="no"><a href="https://social.example/@bob" '
        'class="u-url mention">@<span>bob</span></a></span> mundo '
        '<a href="https://social.example/tags/gato" class="mention hashtag" rel="tag">'
        '#<span>gato</span></a> <a href="https://example.com/hola" target="_blank" '
        'rel="nofollow noopener" translate="no"><span class="invisible">https://</span>'
        '<span class="">example.com/hola</span><span class="invisible"></span></a></p>')
    body = translate(alice_client, status["id"]).json()
    # The markup survives; what is marked translate="no" (mention, link) is left as it was; every
    # link opens safely (Mastodon's strict sanitizer).
    assert body["content"] == (
        '<p>Hello <span class="h-card" translate="no"><a href="https://social.example/@bob" '
        'class="u-url mention" target="_blank" rel="nofollow noopener">@<span>bob</span></a>'
        '</span> world <a href="https://social.example/tags/gato" class="mention hashtag" '
        'target="_blank" rel="nofollow noopener">#<span>cat</span></a> '
        '<a href="https://example.com/hola" translate="no" target="_blank" '
        'rel="nofollow noopener"><span class="invisible">https://</span>'
        '<span class="">example.com/hola</span><span class="invisible"></span></a></p>')


def test_a_providers_html_is_sanitised(alice_client, provider):
    provider.translate_answer = "evil"
    status = post(alice_client)
    body = translate(alice_client, status["id"]).json()
    assert body["content"] == (
        '<p>Hello <a target="_blank" rel="nofollow noopener">x</a>'
        '<a href="https://ok.example" class="mention" target="_blank" rel="nofollow noopener">'
        "ok</a></p>")
    assert EVIL not in body["content"]


def test_a_reblog_translates_its_original(alice_client, bob_client, libre):
    original = post(alice_client, "Hola gato")
    wrapper = bob_client.post(f"/api/v1/statuses/{original['id']}/reblog").json()
    body = translate(bob_client, wrapper["id"]).json()
    assert body["content"] == "<p>Hello cat</p>"
    assert libre.calls("/translate")[0].body["q"] == ["<p>Hola gato</p>"]


def test_media_only_status_sends_only_descriptions(alice_client, libre):
    described = media(alice_client, "Foto de un gato")
    status = post(alice_client, "", media_ids=[described])
    body = translate(alice_client, status["id"]).json()
    assert body["content"] == "" and body["spoiler_text"] == ""
    assert body["media_attachments"] == [{"id": described, "description": "Photo of a cat"}]
    assert libre.calls("/translate")[0].body["q"] == ["Foto de un gato"]


def test_nothing_to_translate_asks_the_provider_nothing(alice_client, libre):
    status = post(alice_client, "", media_ids=[media(alice_client)])
    body = translate(alice_client, status["id"]).json()
    assert body["content"] == "" and body["detected_source_language"] == "es"
    assert body["provider"] == "LibreTranslate"
    assert libre.calls("/translate") == []


def test_plain_texts_are_escaped_for_the_provider_and_read_back_as_text(alice_client, libre):
    status = post(alice_client, "Hola", spoiler_text="<b>gato</b> & perro",
                  media_ids=[media(alice_client, "1 < 2 y gato")])
    body = translate(alice_client, status["id"]).json()
    assert libre.calls("/translate")[0].body["q"][1:] == [
        "&lt;b&gt;gato&lt;/b&gt; &amp; perro", "1 &lt; 2 y gato"]
    assert body["spoiler_text"] == "<b>cat</b> & dog"
    assert body["media_attachments"][0]["description"] == "1 < 2 and cat"


# --- the target language ----------------------------------------------------------------------

@pytest.mark.parametrize(("kwargs", "language"), [
    ({}, "en"),
    ({"data": {"lang": "de"}}, "de"),
    ({"data": {"lang": "de"}, "HTTP_ACCEPT_LANGUAGE": "pt"}, "de"),
    ({"HTTP_ACCEPT_LANGUAGE": "de-CH, pt;q=0.9"}, "de"),
    ({"HTTP_ACCEPT_LANGUAGE": "xx, pt;q=0.5, de;q=0.8"}, "de"),
    ({"HTTP_ACCEPT_LANGUAGE": "de;q=0, *"}, "en"),
    ({"data": {"lang": "nonsense"}, "HTTP_ACCEPT_LANGUAGE": "de"}, "de"),
])
def test_target_is_lang_then_accept_language_then_default(alice_client, libre, kwargs,
                                                          language):
    status = post(alice_client)
    response = translate(alice_client, status["id"], **kwargs)
    assert response.status_code == 200, response.content
    assert response.json()["language"] == language
    assert libre.calls("/translate")[0].body["target"] == language


def test_lang_in_the_query_string_counts_too(alice_client, libre):
    status = post(alice_client)
    response = alice_client.post(f"/api/v1/statuses/{status['id']}/translate?lang=de")
    assert response.json()["language"] == "de"


def test_default_locale_setting(alice_client, libre, settings):
    settings.DEFAULT_LOCALE = "pt"
    status = post(alice_client)
    assert translate(alice_client, status["id"]).json()["language"] == "pt"


def test_a_regional_target_is_cut_to_its_base_when_unsupported(alice_client, libre):
    status = post(alice_client)
    body = translate(alice_client, status["id"], data={"lang": "pt-BR"}).json()
    assert body["language"] == "pt"
    assert body["content"] == "<p>Olá mundo</p>"


def test_a_supported_regional_target_is_kept(alice_client, deepl):
    status = post(alice_client)
    body = translate(alice_client, status["id"], data={"lang": "pt-BR"}).json()
    assert body["language"] == "pt-BR"
    assert body["content"] == "<p>Oi mundo</p>"
    assert deepl.calls("/v2/translate")[0].body["target_lang"] == ["pt-BR"]


# --- refusals -------------------------------------------------------------------------------

def test_no_provider_is_404_and_instance_says_disabled(alice_client, anon):
    status = post(alice_client)
    response = translate(alice_client, status["id"])
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert anon.get("/api/v2/instance").json()["configuration"]["translation"] == {
        "enabled": False}


def test_instance_says_enabled_when_a_provider_is_configured(anon, provider):
    for path in ("/api/v2/instance", "/api/v1/instance"):
        assert anon.get(path).json()["configuration"]["translation"] == {"enabled": True}
    assert provider.requests == []  # advertising asks the provider nothing


@pytest.mark.parametrize("visibility", ["private", "direct"])
def test_not_public_is_404_to_a_stranger_and_403_to_its_author(alice_client, bob_client, libre,
                                                               visibility):
    status = post(alice_client, visibility=visibility)
    stranger = translate(bob_client, status["id"])
    assert stranger.status_code == 404 and stranger.json() == NOT_FOUND
    author = translate(alice_client, status["id"])
    assert author.status_code == 403 and author.json() == NOT_ALLOWED
    assert libre.requests == []


def test_a_follower_of_a_private_status_gets_403(alice_client, bob_client, alice, bob, libre):
    FollowFactory(account=bob, target=alice)
    status = post(alice_client, visibility="private")
    response = translate(bob_client, status["id"])
    assert response.status_code == 403 and response.json() == NOT_ALLOWED


def test_unlisted_translates(alice_client, bob_client, libre):
    status = post(alice_client, visibility="unlisted")
    assert translate(bob_client, status["id"]).status_code == 200


def test_status_without_language_is_403(alice_client, libre):
    status = post(alice_client)
    Status.objects.filter(pk=status["id"]).update(language=None)
    response = translate(alice_client, status["id"])
    assert response.status_code == 403 and response.json() == NOT_ALLOWED


@pytest.mark.parametrize(("language", "lang"), [("es", "es"), ("eo", "en"), ("es", "ja")])
def test_unsupported_pairs_and_the_same_language_are_403(alice_client, provider, language, lang):
    status = post(alice_client, language=language)
    response = translate(alice_client, status["id"], data={"lang": lang})
    assert response.status_code == 403 and response.json() == NOT_ALLOWED
    assert not any(r.path.endswith("/translate") for r in provider.requests)


@pytest.mark.parametrize("path", ["999999999", "abc", "0"])
def test_missing_status_is_404(alice_client, libre, path):
    response = alice_client.post(f"/api/v1/statuses/{path}/translate")
    assert response.status_code == 404 and response.json() == NOT_FOUND


def test_deleted_status_is_404(alice_client, libre):
    status = post(alice_client)
    alice_client.delete(f"/api/v1/statuses/{status['id']}")
    response = translate(alice_client, status["id"])
    assert response.status_code == 404 and response.json() == NOT_FOUND


def test_blocked_viewer_gets_404(alice_client, bob_client, bob, libre):
    status = post(alice_client)
    alice_client.post(f"/api/v1/accounts/{bob.pk}/block")
    response = translate(bob_client, status["id"])
    assert response.status_code == 404 and response.json() == NOT_FOUND


def test_scopes_token_and_user(anon, mastodon, make_token, alice, alice_client, app, libre):
    status = post(alice_client)
    path = f"/api/v1/statuses/{status['id']}/translate"
    response = anon.post(path)
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}
    response = mastodon.as_token(make_token(alice, "write")).post(path)
    assert response.status_code == 403
    assert response.json() == {"error": "This action is outside the authorized scopes"}
    response = mastodon.as_token(make_token(None, "read")).post(path)
    assert response.status_code == 422
    assert response.json() == {"error": "This method requires an authenticated user"}
    assert mastodon.as_token(make_token(alice, "read:statuses")).post(path).status_code == 200
    assert mastodon.as_token(make_token(alice, "read")).get(path).status_code == 405


# --- provider failures ----------------------------------------------------------------------

@pytest.mark.parametrize(("answer", "error"), [
    (456, QUOTA), (429, TOO_MANY), (500, UNAVAILABLE), (503, UNAVAILABLE), (400, UNAVAILABLE),
    (403, UNAVAILABLE), ("garbage", UNAVAILABLE), ("huge", UNAVAILABLE), ("short", UNAVAILABLE),
])
def test_deepl_failures_are_503(alice_client, deepl, answer, error):
    deepl.translate_answer = answer
    status = post(alice_client)
    response = translate(alice_client, status["id"])
    assert response.status_code == 503, response.content
    assert response.json() == error
    assert response["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize(("answer", "error"), [
    (403, QUOTA), (429, TOO_MANY), (500, UNAVAILABLE), (400, UNAVAILABLE), (456, UNAVAILABLE),
    ("garbage", UNAVAILABLE), ("huge", UNAVAILABLE), ("short", UNAVAILABLE),
])
def test_libretranslate_failures_are_503(alice_client, libre, answer, error):
    libre.translate_answer = answer
    status = post(alice_client)
    response = translate(alice_client, status["id"])
    assert response.status_code == 503, response.content
    assert response.json() == error


def test_a_wrong_api_key_is_what_libretranslate_calls_a_quota(alice_client, libre, settings):
    settings.LIBRE_TRANSLATE_API_KEY = "wrong"
    status = post(alice_client)
    response = translate(alice_client, status["id"])
    assert response.status_code == 503 and response.json() == QUOTA
    assert libre.calls("/translate")[0].body["api_key"] == "wrong"


def test_a_wrong_deepl_key_is_503(alice_client, deepl, settings):
    settings.DEEPL_API_KEY = "wrong"
    status = post(alice_client)
    response = translate(alice_client, status["id"])
    assert response.status_code == 503 and response.json() == UNAVAILABLE


@pytest.mark.parametrize("answer", [500, 429, "garbage", "huge"])
def test_failing_languages_list_is_503_and_not_cached(alice_client, provider, answer):
    provider.languages_answer = answer
    status = post(alice_client)
    response = translate(alice_client, status["id"])
    assert response.status_code == 503
    assert response.json() == (TOO_MANY if answer == 429 else UNAVAILABLE)
    provider.languages_answer = None
    assert translate(alice_client, status["id"]).status_code == 200


@pytest.mark.parametrize("route", ["translate", "languages"])
def test_a_hanging_provider_times_out_as_503(alice_client, provider, settings, route):
    settings.TRANSLATION_TIMEOUT = 0.5
    setattr(provider, f"{route}_answer", "hang")
    status = post(alice_client)
    started = time.monotonic()
    response = translate(alice_client, status["id"])
    assert time.monotonic() - started < 3
    assert response.status_code == 503 and response.json() == UNAVAILABLE


def test_an_unreachable_provider_is_503(alice_client, settings):
    fake = FakeLibreTranslate().start()
    url = fake.url
    fake.stop()  # nothing listens there any more
    settings.LIBRE_TRANSLATE_ENDPOINT = url
    status = post(alice_client)
    response = translate(alice_client, status["id"])
    assert response.status_code == 503 and response.json() == UNAVAILABLE


def test_a_failure_writes_nothing_and_is_not_cached(alice_client, libre):
    status = post(alice_client)
    before = Status.objects.count()
    libre.translate_answer = 500
    assert translate(alice_client, status["id"]).status_code == 503
    assert Status.objects.count() == before
    libre.translate_answer = None
    assert translate(alice_client, status["id"]).status_code == 200
    assert len(libre.calls("/translate")) == 2


# --- caching --------------------------------------------------------------------------------

def test_a_second_request_asks_the_provider_nothing(alice_client, bob_client, provider):
    status = post(alice_client, media_ids=[media(alice_client, "Foto")])
    first = translate(alice_client, status["id"]).json()
    seen = len(provider.requests)
    again = translate(bob_client, status["id"]).json()
    assert again == first
    assert len(provider.requests) == seen


def test_each_target_and_each_edit_is_translated_once(alice_client, libre):
    status = post(alice_client)
    translate(alice_client, status["id"], data={"lang": "en"})
    translate(alice_client, status["id"], data={"lang": "de"})
    translate(alice_client, status["id"], data={"lang": "de"})
    assert [c.body["target"] for c in libre.calls("/translate")] == ["en", "de"]
    edited = alice_client.put(f"/api/v1/statuses/{status['id']}",
                              {"status": "Hola perro", "language": "es"}, format="json")
    assert edited.status_code == 200
    body = translate(alice_client, status["id"], data={"lang": "en"}).json()
    assert body["content"] == "<p>Hello dog</p>"
    assert len(libre.calls("/translate")) == 3
    assert len(libre.calls("/languages")) == 1  # the language list is cached too


def test_switching_provider_does_not_reuse_the_other_ones_translation(alice_client, libre,
                                                                      deepl):
    status = post(alice_client)
    # DeepL wins when both are configured, as in Mastodon.
    assert translate(alice_client, status["id"]).json()["provider"] == "DeepL.com"
    from django.conf import settings
    settings.DEEPL_API_KEY = ""
    assert translate(alice_client, status["id"]).json()["provider"] == "LibreTranslate"
    assert len(libre.calls("/translate")) == 1 and len(deepl.calls("/v2/translate")) == 1


# --- query counts ---------------------------------------------------------------------------

@pytest.mark.parametrize("attachments", [1, 4])
def test_query_count_is_constant(alice_client, libre, django_assert_num_queries, attachments):
    status = post(alice_client, media_ids=[media(alice_client, f"Foto {n}")
                                           for n in range(attachments)])
    # The token with its user (1), the status with its visibility facts (1), its media (1).
    with django_assert_num_queries(3):
        assert translate(alice_client, status["id"]).status_code == 200
    # Cached: the media are not read again.
    with django_assert_num_queries(2):
        body = translate(alice_client, status["id"]).json()
    assert len(body["media_attachments"]) == attachments


# --- the provider interface -----------------------------------------------------------------

def test_deepl_host_follows_the_plan(settings):
    settings.DEEPL_API_KEY = "k"
    assert translation.configured().base_url == "https://api-free.deepl.com"
    settings.DEEPL_PLAN = "pro"
    assert translation.configured().base_url == "https://api.deepl.com"
    settings.DEEPL_API_URL = "http://127.0.0.1:9/"
    assert translation.configured().base_url == "http://127.0.0.1:9"


def test_provider_languages_map_sources_to_other_targets(deepl, libre, db):
    languages = translation.configured().languages()
    assert languages["es"] == ["en", "pt", "de", "en-GB", "en-US", "fr", "pt-BR", "pt-PT"]
    assert None in languages and "es" in languages[None]
    libre_languages = translation.LibreTranslate(libre.url, "lt-secret").languages()
    assert libre_languages["es"] == ["de", "en", "pt"]
    assert libre_languages[None] == ["de", "en", "es", "fr", "pt"]


def test_redirects_are_not_followed(settings, libre, alice_client):
    libre.translate_answer = 302
    status = post(alice_client)
    assert translate(alice_client, status["id"]).status_code == 503


@pytest.mark.parametrize(("header", "expected"), [
    (None, None), ("", None), ("fr-CA,fr;q=0.8", "fr-CA"), ("en-GB;q=0.5, de", "de"),
    ("*;q=1, it;q=0.1", "it"), ("de;q=abc, pt", "pt"), ("xx-YY", None),
])
def test_accept_language_parsing(header, expected):
    assert translation_selectors._accept_language(header) == expected


def test_poll_options_are_translated(alice, db):
    from statuses import services

    status = services.status_create(account=alice, text="Elige", visibility="public",
                                    language="es", poll={"options": ["Sí", "No"],
                                                         "expires_in": 3600})
    assert translation_selectors._poll_of(status) == (status.poll.pk, ["Sí", "No"])
    plain = services.status_create(account=alice, text="Sin encuesta", language="es")
    assert translation_selectors._poll_of(plain) is None


# --- GET /api/v1/instance/translation_languages -------------------------------------------------

SHARED_CACHE = "max-age=300, public, stale-while-revalidate=30, stale-if-error=86400"


def test_translation_languages_without_a_provider_is_an_empty_object(anon, alice_client):
    for client in (anon, alice_client):
        response = client.get("/api/v1/instance/translation_languages")
        assert response.status_code == 200
        assert response.json() == {}


def test_translation_languages_of_libretranslate(anon, alice_client, libre):
    response = anon.get("/api/v1/instance/translation_languages")
    assert response.status_code == 200
    body = response.json()
    assert body["und"] == ["de", "en", "es", "fr", "pt"]
    assert body["es"] == ["de", "en", "pt"]
    assert "" not in body and "null" not in body
    assert all(isinstance(v, list) and all(isinstance(t, str) for t in v) for v in body.values())
    # The same for everyone, so public even with a token.
    authed = alice_client.get("/api/v1/instance/translation_languages")
    assert authed.json() == body
    for answer in (response, authed):
        assert answer["Cache-Control"] == SHARED_CACHE
        assert answer["Vary"] == "Origin"
    assert len(libre.calls("/languages")) == 1


def test_translation_languages_of_deepl(anon, deepl):
    body = anon.get("/api/v1/instance/translation_languages").json()
    assert body["es"] == sorted(["en", "pt", "de", "en-GB", "en-US", "fr", "pt-BR", "pt-PT"])
    assert "es" in body["und"]
    assert "es" not in body["es"]


@pytest.mark.parametrize("answer", [(500, b"boom"), (200, b"not json")])
def test_translation_languages_when_the_provider_fails_is_503(anon, libre, answer):
    libre.languages_answer = answer
    response = anon.get("/api/v1/instance/translation_languages")
    assert response.status_code == 503
    assert response.json() == UNAVAILABLE
    assert response["Cache-Control"] == "private, no-store"


def test_translation_languages_refuses_other_methods_and_ignores_a_bad_token(mastodon, libre):
    response = mastodon.post("/api/v1/instance/translation_languages")
    assert response.status_code == 405
    assert response.json() == {"error": "Method Not Allowed"}
    expected = mastodon.get("/api/v1/instance/translation_languages").json()
    # A public route never reads the token, as /api/v1/instance does not.
    mastodon.credentials(HTTP_AUTHORIZATION="Bearer nope")
    bad = mastodon.get("/api/v1/instance/translation_languages")
    assert bad.status_code == 200 and bad.json() == expected


def test_translation_languages_query_count(anon, libre, django_assert_num_queries):
    anon.get("/api/v1/instance/translation_languages")
    with django_assert_num_queries(0):
        assert anon.get("/api/v1/instance/translation_languages").status_code == 200
