"""Frontier Ledger: YAML data and Markdown articles → a static explainer site.

The core is ``load`` (data → validated dataset) and ``render`` (dataset + templates → pages); the
only module that imports MkDocs is :mod:`generator.mkdocs_glue`.
"""

__version__ = "0.1.0"
