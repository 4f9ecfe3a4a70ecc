"""Sphinx configuration for the OC Lettings documentation.

The API chapter is generated from the C++ sources: Doxygen writes XML into
``_build/doxygen/xml`` (see ``Doxyfile``) and Breathe renders it. When that XML
is missing (for instance on Read the Docs), Doxygen is run from here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

DOCS_DIR = Path(__file__).resolve().parent
ROOT_DIR = DOCS_DIR.parent
DOXYGEN_XML = DOCS_DIR / "_build" / "doxygen" / "xml"

sys.path.insert(0, str(DOCS_DIR / "_ext"))


def _project_version() -> str:
    """Read the version from the top-level CMakeLists.txt (project(... VERSION x.y.z))."""
    text = (ROOT_DIR / "CMakeLists.txt").read_text(encoding="utf-8")
    match = re.search(r"project\([^)]*VERSION\s+([0-9][0-9.]*)", text)
    return match.group(1) if match else "0.0.0"


def _ensure_doxygen_xml() -> None:
    if (DOXYGEN_XML / "index.xml").exists():
        return
    (DOCS_DIR / "_build" / "doxygen").mkdir(parents=True, exist_ok=True)
    # Doxygen warnings about the sources go to its own log, never to Sphinx.
    subprocess.run(["doxygen", "Doxyfile"], cwd=DOCS_DIR, check=True)


_ensure_doxygen_xml()

# -- Project information ------------------------------------------------------

project = "OC Lettings"
author = "Orange County Lettings"
copyright = "2024, Orange County Lettings"  # noqa: A001 (Sphinx setting name)
release = _project_version()
version = ".".join(release.split(".")[:2])

# -- General configuration ----------------------------------------------------

extensions = [
    "sphinx.ext.graphviz",
    "sphinx.ext.todo",
    "breathe",
    "ocl_docs",
]

templates_path: list[str] = []
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "requirements.txt"]
root_doc = "index"
language = "en"
primary_domain = "cpp"
highlight_language = "none"
nitpicky = False

graphviz_output_format = "svg"

breathe_projects = {"oc-lettings": str(DOXYGEN_XML)}
breathe_default_project = "oc-lettings"
breathe_default_members = ("members",)
breathe_show_include = True
breathe_domain_by_extension = {"hpp": "cpp", "h": "cpp", "cpp": "cpp"}

# -- HTML output --------------------------------------------------------------

html_theme = "sphinx_rtd_theme"
html_title = f"OC Lettings {release}"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_theme_options = {
    "navigation_depth": 3,
    "collapse_navigation": False,
}
html_show_sourcelink = False

# Read the Docs sets this; locally the canonical URL stays empty.
html_baseurl = os.environ.get("READTHEDOCS_CANONICAL_URL", "")
