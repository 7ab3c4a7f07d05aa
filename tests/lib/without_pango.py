"""A machine without Pango, as the import of WeasyPrint meets it: cffi cannot open the library and raises OSError."""

import importlib.abc
import importlib.machinery
import sys

import pytest

from ccpt.lib import pdf

# What cffi says on a Debian machine without libpango-1.0-0 (WeasyPrint's ffi.py opens it while being imported).
CFFI_ERROR = (
    "cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file: No such file or "
    "directory.  Additionally, ctypes.util.find_library() did not manage to locate a library called "
    "'libpango-1.0-0'"
)


class _LibraryMissing(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds weasyprint, then fails while executing it, as the real import does on such a machine."""

    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint" or name.startswith("weasyprint."):
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        raise OSError(CFFI_ERROR)


@pytest.fixture
def without_pango(monkeypatch):
    """WeasyPrint cannot be imported for the length of the test; the availability asked fresh before and after."""
    for name in [name for name in sys.modules if name == "weasyprint" or name.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [_LibraryMissing(), *sys.meta_path])
    pdf.pdf_available.cache_clear()
    yield
    pdf.pdf_available.cache_clear()
