"""`pmrepo lsp`: a Language Server Protocol server over the library (api.check_text), so that
an editor shows pmrepo's findings while the author writes."""
