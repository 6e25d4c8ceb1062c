"""The adapter to MkDocs, and the only module that imports it: the plugin class MkDocs loads (the
entry point ``mkdocs.plugins: frontier-ledger``) and the pieces of MkDocs that the build and
serve commands use (generator.engines.Engine). What the plugin does is generator.plugin; the
commands are generator.engine_run (``build_site`` and ``serve`` are named here too, as before).
"""

from __future__ import annotations

import mkdocs
from mkdocs.commands.build import build
from mkdocs.config import config_options, load_config
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File

from .engine_run import build_site, serve  # noqa: F401 - the commands, by their old address
from .engines import Engine
from .plugin import PluginEvents, check_and_render, config_class  # noqa: F401

LedgerConfig = config_class(Config, config_options)


class LedgerPlugin(PluginEvents, BasePlugin[LedgerConfig]):  # type: ignore[valid-type, misc]
    """Frontier Ledger's plugin, as MkDocs loads it."""


ENGINE = Engine(name="mkdocs", version=mkdocs.__version__, load_config=load_config, build=build,
                abort=Abort, plugin_error=PluginError, file=File,
                livereload_module="mkdocs.livereload", plugin=LedgerPlugin)
LedgerPlugin.engine = ENGINE
