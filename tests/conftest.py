"""Shared test settings."""

import asyncio
import os

import pytest
from hypothesis import HealthCheck, settings

pytest_plugins = ["tests.botapi.fixtures"]

settings.register_profile("ci", deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, max_examples=100)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session", autouse=True)
def _shared_formatter():
    """The formatting process the in-process bots share (tests/desk_harness.py) ends with the session."""
    yield
    # Imported here: at the top it would import tests.botapi.fixtures before pytest rewrites its asserts.
    from tests.desk_harness import SHARED_FORMATTER

    asyncio.run(SHARED_FORMATTER.close())
