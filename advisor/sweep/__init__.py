"""Scenario sweeps: evaluate a whole table or grid of scenarios at once.

Kept free of imports so that worker processes start fast: pandas is only loaded by
`table`, which the parent process alone needs.
"""
