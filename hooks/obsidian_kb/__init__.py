"""Obsidian vault engine: vault index, Obsidian link resolver, Python-Markdown
extension and build-time snippet runner.

The engine does not import MkDocs; ``hooks/obsidian.py`` adapts it to MkDocs.
"""

__version__ = "0.1.0"
