"""Rendering: pages as Markdown and as the HTML Python-Markdown makes of it."""
