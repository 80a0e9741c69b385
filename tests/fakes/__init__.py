"""Moved to tests/support/. These names stay until tests/booking and tests/tickets import
from tests.support themselves; then delete this folder."""

import sys

from tests.support import _common, fixtures, telegram_api, vk_api

for _module in (_common, fixtures, telegram_api, vk_api):
    sys.modules[f"tests.fakes.{_module.__name__.rpartition('.')[2]}"] = _module
