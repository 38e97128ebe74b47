"""Every conversations test starts with no running map state in this process."""

import pytest

from agora.conversations import maps


@pytest.fixture(autouse=True)
def _no_running_maps():
    maps._running.clear()
    yield
    maps._running.clear()
