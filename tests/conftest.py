from __future__ import annotations

import shutil
from typing import Iterator

import pytest

from tests.fake_proxy import FakeProxy
from tests.homes import Home, make_home


@pytest.fixture
def home() -> Iterator[Home]:
    made = make_home()
    try:
        yield made
    finally:
        shutil.rmtree(made.root, ignore_errors=True)


@pytest.fixture
def proxy(home: Home) -> Iterator[FakeProxy]:
    """A healthy pin-only fake AntSeed proxy for ``home``, pinned, port in config.json."""
    from tests.fake_proxy import write_buyer_state, write_config

    data_dir = home.home / ".antseed"
    with FakeProxy(data_dir) as fake:
        home.port = fake.port
        write_config(data_dir, fake.port)
        write_buyer_state(data_dir, port=fake.port)
        yield fake
