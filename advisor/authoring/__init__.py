"""Tools for rule authors: schemas, rule tests, coverage, verification, diffs, concept map."""
