"""Renderers read only the scene: Scene + theme → SVG text (svg), SVG text → PNG/PDF (raster).

What needs more than the scene (the HTML page, the gallery) sits above the pipeline.
"""
