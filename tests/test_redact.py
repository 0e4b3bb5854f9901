"""One rule for secrets: secret-named keys, URL passwords and URL tokens are masked everywhere."""

from __future__ import annotations

import pytest

from benchbox.redact import holds_secret, is_secret_key, mentions_secret, redact_override, redact_text


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("platform.password=hunter2", "platform.password=***"),
        ("+platform.api_key=abc", "+platform.api_key=***"),
        ("platform.url=postgresql://u:hunter2@h:5432/db", "platform.url=postgresql://u:***@h:5432/db"),
        (
            "platform.remote=sc://h:15002/;user_id=me;token=hunter2",
            "platform.remote=sc://h:15002/;user_id=me;token=***",
        ),
        ("platform.password_env=PGPASSWORD", "platform.password_env=***"),
        ("platform.url=postgresql://u@h/db", "platform.url=postgresql://u@h/db"),
        ("mode.iterations=3", "mode.iterations=3"),
    ],
)
def test_redact_override(override: str, expected: str) -> None:
    assert redact_override(override) == expected


def test_names_of_where_a_secret_lives_are_not_secrets() -> None:
    assert is_secret_key("platform.password") and is_secret_key("token")
    assert not is_secret_key("platform.password_env") and not is_secret_key("platform.password_file")
    assert mentions_secret("platform.password_env")  # still masked when echoed: it may hold a mistake
    assert holds_secret("platform.url", "duckdb:///x") is False
    assert holds_secret("platform.remote", "sc://h/;TOKEN=x") is True
    assert redact_text("sc://h/;token=a;x=1") == "sc://h/;token=***;x=1"
