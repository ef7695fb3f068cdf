"""`pmrepo site`: the static HTML site of a post-mortem repository (see pages.py)."""
