# A small Sphinx project the tests build with the real `sphinx-build` (tests/test_sphinx.py).
project = "svgarch test project"
extensions = ["svgarch.sphinx"]
html_theme = "alabaster"
svgarch_theme = "auto"
svgarch_dark_selector = 'html[data-theme="dark"]'
