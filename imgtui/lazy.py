"""Modules imported on first use, so the app's first frame does not wait for them.

The app and the command line read the records, the store and the planning core
through these names; a start drawn from the Today cache never imports them.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType
from typing import TYPE_CHECKING

__all__ = ["core_rules", "lazy_module", "planning", "records", "store_module", "usce_rules"]


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
else:
    records = lazy_module("imgtui.records")
    store_module = lazy_module("imgtui.store")
    planning = lazy_module("imgtui.core.overview")
    core_rules = lazy_module("imgtui.core.rules")
    usce_rules = lazy_module("imgtui.core.usce")
