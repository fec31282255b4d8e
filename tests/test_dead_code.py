"""The dead-code check's whitelist (vulture, `make lint`) names only what is there."""

import importlib


def test_every_whitelisted_name_exists() -> None:
    # An AttributeError or an ImportError names the stale entry.
    importlib.import_module("tests.vulture_whitelist")
