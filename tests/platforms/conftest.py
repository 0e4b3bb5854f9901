"""Per-platform fixtures for the contract suite: the overrides that point benchbox at each platform.

Embedded platforms need none. A platform that needs a server adds a fixture here
that starts it and returns the overrides (the contract suite asks for it by name).
"""

from __future__ import annotations

import os

import pytest

from benchbox import platforms

SERVER_FIXTURES: dict[str, str] = {}
"""Platform name -> fixture returning the overrides that reach its (throwaway) server."""


@pytest.fixture
def platform_overrides(request: pytest.FixtureRequest):
    """``platform_overrides(name)``: the command-line overrides that select and reach ``name``."""

    def overrides(name: str) -> list[str]:
        adapter = platforms.get(name).Adapter
        if not adapter.installed():
            message = (
                f"{name}: driver '{adapter.driver}' not installed (pip install 'benchbox[{adapter.extra}]')"
            )
            if os.environ.get("BENCHBOX_REQUIRE_ALL_PLATFORMS") == "1":
                pytest.fail(message)
            pytest.skip(message)
        extra = request.getfixturevalue(SERVER_FIXTURES[name]) if name in SERVER_FIXTURES else []
        return [f"platform={name}", *extra]

    return overrides
