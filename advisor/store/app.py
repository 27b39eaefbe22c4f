"""The app's one Library per database: opened (and migrated) once per server process."""
from __future__ import annotations

import streamlit as st

from . import db
from .library import Library


@st.cache_resource(show_spinner=False)
def _library(url: str) -> Library:
    return Library(db.make_engine(url))


def library() -> Library:
    return _library(db.database_url())   # team mode (st.login / header) would pass an Actor here
