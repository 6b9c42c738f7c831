"""Clients for the SelfCommunity dialect."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def sc_client(make_token):
    """sc_client(account, scopes=...) -> an APIClient with that account's bearer token."""

    def make(account, scopes="read write follow push"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(account, scopes=scopes)}")
        return client

    return make


@pytest.fixture
def sc(sc_client, alice):
    return sc_client(alice)


@pytest.fixture
def bob_sc(sc_client, bob):
    return sc_client(bob)


@pytest.fixture
def carol_sc(sc_client, carol):
    return sc_client(carol)
