"""Local Sphinx directives for the OC Lettings documentation.

``.. ocl-api-namespaces::``
    Emits one section with a ``doxygennamespace`` directive for every
    ``ocl::`` namespace found in the Doxygen XML index, so the API chapter
    follows the sources without a hand-kept list.

``.. ocl-screenshot:: FILE``
    Shows ``_static/screenshots/FILE`` as a figure (the directive content is the
    caption) when that file exists, and nothing otherwise, so the user guide
    never points at a missing picture.

Doxygen lists members brought in by ``using Base::member;`` in the derived
class as well, so a class that both re-exports and overrides a member shows
the same signature twice; Breathe then makes Sphinx warn about a duplicate
C++ declaration. Sphinx's C++ parser may also not read every C++20
declaration Doxygen writes. Such messages describe the generated reference,
not the documentation text: they are counted and reported as one summary
line instead of failing the ``-W`` build. All other warnings stay warnings.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from docutils.statemachine import StringList
from sphinx.util import logging as sphinx_logging
from sphinx.util.nodes import nested_parse_with_titles

logger = sphinx_logging.getLogger(__name__)

GENERATED_REFERENCE_MESSAGES = (
    "Duplicate C++ declaration",
    "Duplicate declaration",
    "Invalid C++ declaration",
    "Error when parsing function declaration",
)


class GeneratedReferenceFilter(logging.Filter):
    """Counts and drops C++ domain warnings raised while rendering Doxygen XML."""

    def __init__(self) -> None:
        super().__init__()
        self.dropped = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        message = record.getMessage()
        if not message.startswith(GENERATED_REFERENCE_MESSAGES):
            return True
        location = getattr(record, "location", None)
        if isinstance(location, nodes.Node):
            location = sphinx_logging.get_node_location(location)
        if location is None or "doxygen" in str(location) or "api" in str(location):
            self.dropped += 1
            return False
        return True


_reference_filter = GeneratedReferenceFilter()


class ApiNamespaces(Directive):
    has_content = False
    option_spec = {"prefix": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        env = self.state.document.settings.env
        project = env.config.breathe_default_project
        index = Path(env.config.breathe_projects[project]) / "index.xml"
        env.note_dependency(str(index))
        prefix = self.options.get("prefix", "ocl::")

        names = sorted(
            compound.findtext("name", default="")
            for compound in ET.parse(index).getroot().iter("compound")
            if compound.get("kind") == "namespace"
        )
        # Only ocl::<part>: Breathe renders a nested namespace (ocl::db::fields)
        # inside its parent's section, so listing it again would duplicate it.
        names = [
            name
            for name in names
            if name.startswith(prefix) and "::" not in name[len(prefix):]
        ]
        if not names:
            return [nodes.paragraph(text="No namespaces were found in the sources.")]

        lines: list[str] = []
        for name in names:
            lines += [
                name,
                "-" * len(name),
                "",
                f".. doxygennamespace:: {name}",
                "   :members:",
                "   :undoc-members:",
                "",
            ]
        container = nodes.section()
        container.document = self.state.document
        nested_parse_with_titles(self.state, StringList(lines, source=str(index)), container)
        return container.children


class Screenshot(Directive):
    required_arguments = 1
    has_content = True
    option_spec = {"alt": directives.unchanged, "width": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        env = self.state.document.settings.env
        name = self.arguments[0]
        relative = f"_static/screenshots/{name}"
        if not (Path(env.srcdir) / relative).is_file():
            return []
        lines = [f".. figure:: /{relative}"]
        lines.append(f"   :alt: {self.options.get('alt', name)}")
        lines.append(f"   :width: {self.options.get('width', '100%')}")
        lines.append("")
        lines += [f"   {line}" for line in self.content]
        container = nodes.container()
        self.state.nested_parse(StringList(lines, source=env.docname), self.content_offset, container)
        return container.children


def _report_filtered(app, exception) -> None:
    if _reference_filter.dropped:
        logger.info(
            "%d C++ declaration message(s) from the generated API reference were ignored",
            _reference_filter.dropped,
        )


def setup(app):
    logging.getLogger("sphinx.sphinx.domains.cpp").addFilter(_reference_filter)
    app.connect("build-finished", _report_filtered)
    app.add_directive("ocl-api-namespaces", ApiNamespaces)
    app.add_directive("ocl-screenshot", Screenshot)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
