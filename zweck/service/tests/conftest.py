from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _data_directory_of_the_test(settings: Any, tmp_path: Path) -> Path:
    """Attachments are written under the data directory: each test has its own."""
    settings.DATA_DIR = tmp_path
    return tmp_path
