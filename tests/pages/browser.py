"""What the browser tests share: Debian's chromium, and the marks every browser test carries."""

import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
# Flags that keep chromium from reaching the network on its own or needing a sandbox here.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
BROWSER_MARKS = [
    pytest.mark.live,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian chromium is not installed"),
]
