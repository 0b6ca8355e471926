"""Renderers: Scene → SVG text (svg), SVG → PNG/PDF (raster), output files (files)."""
