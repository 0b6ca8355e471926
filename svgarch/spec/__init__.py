"""Descriptions: files (TOML, JSON, YAML) and plain data → a validated DiagramModel."""

from svgarch.spec.load import load_model, model_from_raw, model_from_text, parse_description, read_description

__all__ = ["load_model", "model_from_raw", "model_from_text", "parse_description", "read_description"]
