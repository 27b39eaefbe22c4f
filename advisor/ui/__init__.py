"""Helpers the Streamlit pages use. Only `state` and `resources` import Streamlit;
the rest is plain Python so it is tested without a server."""
