"""The `kb` command: `kb check`, `report`, `new`, `adopt` and `build`, each over the same stages
the site's build runs.

In: the command line, mkdocs.yml and the content folder.
Out: text, JSON or annotations on the terminal, a new page, or a published site; an exit status.
"""
