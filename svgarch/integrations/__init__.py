"""What the docs integrations share: drawing a page's diagrams through a content-keyed cache
(``render``) and switching their palette with a site's dark mode (``dark``).

The integrations themselves live at the names other tools load them by:
``svgarch.markdown`` (Python-Markdown), ``svgarch.mkdocs_plugin`` (MkDocs'
``svgarch`` plugin) and ``svgarch.sphinx`` (Sphinx).
"""
