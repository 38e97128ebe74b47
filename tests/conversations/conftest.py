"""Every conversations test starts with no running map state in this process."""

import pytest

from agora.conversations import services


@pytest.fixture(autouse=True)
def _no_running_maps():
    services._running.clear()
    yield
    services._running.clear()
