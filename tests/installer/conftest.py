"""The installer's scripts live in installer/, outside the package: make them importable here."""

import importlib.util
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
if str(INSTALLER) not in sys.path:
    sys.path.insert(0, str(INSTALLER))


def load_build_script():
    """installer/build.py as a module (its name, build, is too common to import by)."""
    if "jingyuan_installer_build" in sys.modules:
        return sys.modules["jingyuan_installer_build"]
    spec = importlib.util.spec_from_file_location("jingyuan_installer_build", INSTALLER / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
