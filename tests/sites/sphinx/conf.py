# A small Sphinx project the tests build with the real `sphinx-build` (tests/test_sphinx.py).
project = "svgarch test project"
extensions = ["svgarch.sphinx"]
html_theme = "alabaster"
svgarch_theme = "auto"
# the project's own switch: a dark mode, and an "auto" mode that follows the reader's system
svgarch_dark_selector = 'html[data-theme="dark"]'
svgarch_auto_selector = 'html[data-theme="auto"]'
