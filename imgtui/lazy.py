"""Modules imported on first use, so the app's first frame does not wait for them.

The app and the command line read the records, the store, the planning core and
the app's other panes through these names; a start drawn from the Today cache
never imports them.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType
from typing import TYPE_CHECKING

__all__ = [
    "core_rules",
    "forms",
    "help_screen",
    "lazy_module",
    "planning",
    "profile_pane",
    "records",
    "schedule_pane",
    "store_module",
    "usce_pane",
    "usce_rules",
]


def lazy_module(name: str) -> ModuleType:
    """``name``, executed when one of its attributes is first read (importlib's LazyLoader)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ImportError(f"no module named {name!r}")
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


if TYPE_CHECKING:
    from . import records as records
    from . import store as store_module
    from .core import overview as planning
    from .core import rules as core_rules
    from .core import usce as usce_rules
    from .ui.screens import forms as forms
    from .ui.screens import help as help_screen
    from .ui.widgets import profile as profile_pane
    from .ui.widgets import schedule as schedule_pane
    from .ui.widgets import usce as usce_pane
else:
    records = lazy_module("imgtui.records")
    store_module = lazy_module("imgtui.store")
    planning = lazy_module("imgtui.core.overview")
    core_rules = lazy_module("imgtui.core.rules")
    usce_rules = lazy_module("imgtui.core.usce")
    # The app's forms and its panes other than Today.
    forms = lazy_module("imgtui.ui.screens.forms")
    help_screen = lazy_module("imgtui.ui.screens.help")
    profile_pane = lazy_module("imgtui.ui.widgets.profile")
    schedule_pane = lazy_module("imgtui.ui.widgets.schedule")
    usce_pane = lazy_module("imgtui.ui.widgets.usce")
