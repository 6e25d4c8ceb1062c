"""The engines a site can be built with, and what the adapter needs of each: MkDocs 1.x and
ProperDocs (its maintained continuation, with the same API under the module name ``properdocs``).

Each engine has an adapter module of its own, the only module that imports it
(generator.mkdocs_glue, generator.properdocs_glue): it fills an :class:`Engine` with the engine's
pieces and defines the plugin class the engine loads. Everything else (the plugin's events, the
build and serve commands) is written once, against an :class:`Engine`, and imports no engine, so
that a build with ProperDocs never imports the ``mkdocs`` package (which need not be installed).
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from typing import Any, Callable

ENGINES = ("mkdocs", "properdocs")
DEFAULT_ENGINE = "mkdocs"
_ADAPTERS = {"mkdocs": "generator.mkdocs_glue", "properdocs": "generator.properdocs_glue"}


@dataclass(frozen=True)
class Engine:
    """One engine's pieces, as its adapter found them."""

    name: str  # the engine's package and command: "mkdocs" or "properdocs"
    version: str
    load_config: Callable[..., Any]
    build: Callable[..., Any]  # commands.build.build(config, serve_url=, dirty=)
    abort: type  # exceptions.Abort: a build stopped with a message
    plugin_error: type  # exceptions.PluginError: what a plugin raises to stop a build
    file: type  # structure.files.File, whose generated() makes an in-memory file
    livereload_module: str  # its livereload module's name: LiveReloadServer, its script, …
    plugin: type  # the plugin class of the adapter (the entry point the engine loads)

    @property
    def livereload(self) -> Any:
        """The livereload module, imported when serve first asks (a build never does: 15 ms of
        imports, the web server's among them, that a one-file rebuild would wait for)."""
        return importlib.import_module(self.livereload_module)

    def logger(self, suffix: str = "") -> str:
        """The name of the engine's logger (or of one below it: ``commands.build``)."""
        return self.name + ("." + suffix if suffix else "")


class EngineMissing(Exception):
    """The engine asked for is not installed; the message says what to do."""


def load_engine(name: str) -> Engine:
    """The engine ``name`` (one of :data:`ENGINES`), through its adapter."""
    if name not in _ADAPTERS:
        raise EngineMissing(f"--engine {name}: no such engine; the engines are "
                            f"{', '.join(ENGINES)}")
    if importlib.util.find_spec(name) is None:
        others = [e for e in ENGINES if e != name and importlib.util.find_spec(e) is not None]
        hint = f", or build with --engine {others[0]}" if others else ""
        raise EngineMissing(f"--engine {name}: {name} is not installed (it is in "
                            f"requirements.lock: ./ledger sets it up){hint}")
    return importlib.import_module(_ADAPTERS[name]).ENGINE
