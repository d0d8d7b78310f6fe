"""What an analyst sees when something fails inside the dashboard: a message, never a
traceback; and the background worker survives the failure of one job."""
from __future__ import annotations

import tomllib
from collections.abc import Iterator

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT_DIR

CONFIG_FILE = PROJECT_DIR / ".streamlit" / "config.toml"


@pytest.fixture
def project_error_details() -> Iterator[None]:
    """The project's ``client.showErrorDetails`` in force (as ``make run`` has it)."""
    before = config.get_option("client.showErrorDetails")
    value = tomllib.loads(CONFIG_FILE.read_text())["client"]["showErrorDetails"]
    config.set_option("client.showErrorDetails", value)
    yield
    config.set_option("client.showErrorDetails", before)


def _callback_raises() -> None:
    import streamlit as st

    def fail() -> None:
        raise RuntimeError("password=hunter2 in /srv/secret/path.py")

    st.button("Save", on_click=fail, key="save")


def test_an_error_in_a_callback_shows_no_traceback(project_error_details: None) -> None:
    """app.py turns a page's errors into messages, but an error raised in a widget
    callback or a fragment is Streamlit's to show: the config keeps it to a notice."""
    at = AppTest.from_function(_callback_raises).run()
    at.button(key="save").click().run()
    [shown] = at.exception
    assert shown.stack_trace == []
    assert "hunter2" not in shown.message and "secret" not in shown.message
