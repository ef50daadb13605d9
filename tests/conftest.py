from __future__ import annotations

import shutil
from typing import Iterator

import pytest

from tests.homes import Home, make_home


@pytest.fixture
def home() -> Iterator[Home]:
    made = make_home()
    try:
        yield made
    finally:
        shutil.rmtree(made.root, ignore_errors=True)
