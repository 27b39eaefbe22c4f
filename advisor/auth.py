"""Who is using the app: one local user, Streamlit's OIDC login, or a trusted proxy header.

ADVISOR_AUTH chooses: `single` (no login; the local user, admin unless ADVISOR_ROLES says
otherwise), `oidc` (st.login against the [auth] section of Streamlit's secrets.toml; needs
Authlib) or `header` (a reverse proxy that has already signed the user in sets
ADVISOR_AUTH_HEADER, default X-Forwarded-Email). Unset: `oidc` on a team server
(ADVISOR_DATABASE_URL set), else `single`, so a shared server never runs with everyone admin.

The identity (e-mail, else OIDC subject) is mapped to a role by the Library (advisor/store),
which also enforces it; this module only finds out who is there.
"""

from __future__ import annotations

import os

import streamlit as st

from .errors import AdvisorError
from .report.markdown import esc
from .store.roles import Actor

MODES = ("single", "oidc", "header")
_LOGGED = "_auth_logged"  # session key: the identity whose sign-in is already in the audit log


def mode() -> str:
    given = os.environ.get("ADVISOR_AUTH", "").strip().lower()
    if given:
        if given not in MODES:
            raise AdvisorError(f"ADVISOR_AUTH={given!r}: allowed values are {', '.join(MODES)}")
        return given
    return "oidc" if os.environ.get("ADVISOR_DATABASE_URL") else "single"


def _oidc_identity() -> str | None:
    if not st.user.is_logged_in:
        return None
    return str(st.user.get("email") or st.user.get("sub") or "") or None


def _header_identity() -> str | None:
    name = os.environ.get("ADVISOR_AUTH_HEADER", "X-Forwarded-Email")
    value = (st.context.headers.get(name) or "").strip()
    return value[:320] or None


def identity() -> str | None:
    """The signed-in identity, or None when team mode has nobody signed in yet."""
    how = mode()
    if how == "oidc":
        return _oidc_identity()
    if how == "header":
        return _header_identity()
    from .store.roles import actor

    return actor().name


def current() -> Actor | None:
    """The acting user with the role the database (or ADVISOR_ROLES) gives them; None if signed out."""
    from .store.app import base_library

    if mode() == "single":
        from .store.roles import actor

        return actor()
    who = identity()
    if who is None:
        return None
    lib = base_library()
    claimed = groups() if mode() == "oidc" else ()
    person = lib.actor_for(who, claimed)
    if st.session_state.get(_LOGGED) != who:  # why: one audit entry per sign-in, not per rerun
        shown = f"; groups {', '.join(claimed)[:500]}" if claimed else ""
        lib.as_actor(person).log("login", f"{mode()} sign-in as {person.role}{shown}")
        st.session_state[_LOGGED] = who
    return person


def groups() -> tuple[str, ...]:
    """The identity provider's groups for the signed-in user (the roles file's `groups_claim`)."""
    from .store.roles import groups_of

    return groups_of(st.user.to_dict()) if st.user.is_logged_in else ()


def gate() -> None:
    """Called by app.py before the pages: in team mode nobody gets past without signing in."""
    how = mode()
    if how == "single":
        return
    person = current()
    if person is None:
        st.title("IBM Mission Design Advisor")
        if how == "oidc":
            st.write("This is a team server: sign in with your organisation's account to continue.")
            try:
                from streamlit.auth_util import get_secrets_auth_section

                configured = bool(get_secrets_auth_section())
            except Exception:  # why: a broken secrets.toml is reported by Streamlit itself
                configured = False
            if not configured:
                st.error(
                    "Team login is on (ADVISOR_DATABASE_URL or ADVISOR_AUTH=oidc) but Streamlit's "
                    "secrets.toml has no [auth] section (redirect_uri, cookie_secret, client_id, "
                    "client_secret, server_metadata_url). Add it, or set ADVISOR_AUTH=single."
                )
            if st.button("Sign in", key="auth_login", type="primary", disabled=not configured):
                st.login()
        else:
            st.error(
                f"This server expects a reverse proxy to sign you in (header "
                f"{os.environ.get('ADVISOR_AUTH_HEADER', 'X-Forwarded-Email')}); it sent none."
            )
        st.stop()
    with st.sidebar:
        st.caption(f"Signed in as {esc(person.name)} ({person.role})")
        if how == "oidc" and st.button("Sign out", key="auth_logout"):
            st.logout()
