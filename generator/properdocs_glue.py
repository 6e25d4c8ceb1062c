"""The adapter to ProperDocs (the maintained continuation of MkDocs 1.x), and the only module that
imports it: the plugin class ProperDocs loads (the entry point ``properdocs.plugins:
frontier-ledger``) and the pieces of ProperDocs that the build and serve commands use
(generator.engines.Engine). It never imports the ``mkdocs`` package, which need not be installed.

Material for MkDocs imports ``mkdocs.…``: ``properdocs.replacement``, imported first as
ProperDocs's own command does, answers those imports with ProperDocs's modules. So one process
runs one engine: this module refuses to load where MkDocs itself was imported already.
"""

from __future__ import annotations

import sys

_loaded = sys.modules.get("mkdocs")
if _loaded is not None and not getattr(_loaded, "__name__", "").startswith("properdocs"):
    raise ImportError("MkDocs is loaded in this process already; ProperDocs runs in a process "
                      "of its own (./ledger build --engine properdocs)")

import properdocs  # noqa: E402
import properdocs.replacement  # noqa: E402,F401 - Material's `import mkdocs.…` finds ProperDocs
from properdocs.commands.build import build  # noqa: E402
from properdocs.config import config_options, load_config  # noqa: E402
from properdocs.config.base import Config  # noqa: E402
from properdocs.exceptions import Abort, PluginError  # noqa: E402
from properdocs.plugins import BasePlugin  # noqa: E402
from properdocs.structure.files import File  # noqa: E402

from .engines import Engine  # noqa: E402
from .plugin import PluginEvents, config_class  # noqa: E402

LedgerConfig = config_class(Config, config_options)


class LedgerPlugin(PluginEvents, BasePlugin[LedgerConfig]):  # type: ignore[valid-type, misc]
    """Frontier Ledger's plugin, as ProperDocs loads it."""


ENGINE = Engine(name="properdocs", version=properdocs.__version__, load_config=load_config,
                build=build, abort=Abort, plugin_error=PluginError, file=File,
                livereload_module="properdocs.livereload", plugin=LedgerPlugin)
LedgerPlugin.engine = ENGINE
