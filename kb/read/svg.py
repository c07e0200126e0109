"""SVG, rewritten on an allowlist before it is published.

Wikis embed SVG icons and diagrams by the hundred, but an SVG is an XML document: opened from
the wiki's own address, its `<script>`, its `onload=` and the HTML in its `<foreignObject>` run
as the wiki. So kb reads every SVG with an XML parser that refuses entity declarations and
never loads anything (defusedxml; a `<!DOCTYPE>` naming the SVG DTD is dropped, one with
declarations of its own refuses the file), and writes it again from what it read: only SVG
elements and attributes on the lists below, references only inside the file (`#id`) or to
pictures embedded in it (`data:image/png;base64,…`), CSS only without `url()` to elsewhere,
`@import` or escapes. Comments, processing instructions and editors' own data do not survive.
The same file always gives the same bytes.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from xml.parsers import expat
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler, feature_namespaces
from xml.sax.xmlreader import AttributesNSImpl, Locator

from defusedxml.common import DefusedXmlException, DTDForbidden
from defusedxml.expatreader import DefusedExpatParser

from kb.diagnostics import Diagnostic, Severity

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
#: Prefixes to name other vocabularies by in messages (expat does not say which one was written).
_PREFIXES = {SVG_NS: "svg", XLINK_NS: "xlink", XML_NS: "xml", "http://www.w3.org/1999/xhtml": "html",
             "http://www.inkscape.org/namespaces/inkscape": "inkscape",
             "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd": "sodipodi",
             "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf", "http://purl.org/dc/elements/1.1/": "dc",
             "http://creativecommons.org/ns#": "cc", "http://www.bohemiancoding.com/sketch/ns": "sketch"}

_FILTER_PRIMITIVES = {
    "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix", "feDiffuseLighting",
    "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR",
    "feGaussianBlur", "feImage", "feMerge", "feMergeNode", "feMorphology", "feOffset", "fePointLight",
    "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
}
#: SVG elements that draw, group, paint or describe, and nothing else (no script, no
#: foreignObject, no animation: `<set>` can turn any link into `javascript:`).
ELEMENTS = frozenset({
    "svg", "g", "defs", "symbol", "use", "title", "desc", "a", "switch", "view",
    "circle", "ellipse", "line", "path", "polygon", "polyline", "rect",
    "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker",
    "image", "filter", "style", *_FILTER_PRIMITIVES,
})
#: Presentation attributes and properties: their values are CSS, checked as CSS.
PRESENTATION = frozenset({
    "alignment-baseline", "baseline-shift", "clip", "clip-path", "clip-rule", "color", "color-interpolation",
    "color-interpolation-filters", "color-rendering", "direction", "display", "dominant-baseline",
    "enable-background", "fill", "fill-opacity", "fill-rule", "filter", "flood-color", "flood-opacity", "font",
    "font-family", "font-size", "font-size-adjust", "font-stretch", "font-style", "font-variant", "font-weight",
    "glyph-orientation-horizontal", "glyph-orientation-vertical", "image-rendering", "isolation", "kerning",
    "letter-spacing", "lighting-color", "marker", "marker-end", "marker-mid", "marker-start", "mask", "mask-type",
    "mix-blend-mode", "opacity", "overflow", "paint-order", "pointer-events", "shape-rendering", "stop-color",
    "stop-opacity", "stroke", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "stroke-opacity", "stroke-width", "text-anchor", "text-decoration", "text-rendering",
    "transform", "transform-origin", "unicode-bidi", "vector-effect", "visibility", "word-spacing", "writing-mode",
    "style", "gradientTransform", "patternTransform",
})
#: Attributes with no namespace that kb keeps, besides PRESENTATION, `aria-*` and `data-*`.
ATTRIBUTES = PRESENTATION | frozenset({
    "id", "class", "lang", "tabindex", "role", "focusable", "version", "baseProfile",
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr", "width", "height",
    "d", "points", "pathLength", "viewBox", "preserveAspectRatio", "href",
    "gradientUnits", "spreadMethod", "offset", "patternUnits", "patternContentUnits", "clipPathUnits",
    "maskUnits", "maskContentUnits", "markerUnits", "markerWidth", "markerHeight", "refX", "refY", "orient",
    "dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset", "method", "spacing", "side",
    "requiredFeatures", "systemLanguage",
    "filterUnits", "primitiveUnits", "in", "in2", "result", "stdDeviation", "mode", "type", "values",
    "tableValues", "slope", "intercept", "amplitude", "exponent", "k1", "k2", "k3", "k4", "operator",
    "kernelMatrix", "order", "divisor", "bias", "targetX", "targetY", "edgeMode", "preserveAlpha",
    "kernelUnitLength", "surfaceScale", "diffuseConstant", "specularConstant", "specularExponent", "scale",
    "xChannelSelector", "yChannelSelector", "baseFrequency", "numOctaves", "seed", "stitchTiles", "azimuth",
    "elevation", "pointsAtX", "pointsAtY", "pointsAtZ", "limitingConeAngle", "z", "radius",
})
_NAMESPACED_ATTRIBUTES = {(XLINK_NS, "href"): "xlink:href", (XML_NS, "space"): "xml:space", (XML_NS, "lang"): "xml:lang"}
_KEPT_NAMESPACED = frozenset(_NAMESPACED_ATTRIBUTES.values())
#: Elements whose whole point is what they load: without their reference they go too.
_LOADING = frozenset({"use", "image", "feImage"})
#: What could run script or load from elsewhere: removing it is a warning, not a note.
_ACTIVE_ELEMENTS = frozenset(name.lower() for name in (
    "script", "foreignObject", "iframe", "object", "embed", "handler", "listener", "animate", "animateColor",
    "animateMotion", "animateTransform", "set", "discard", "audio", "video", "canvas", "link", "meta", "base"))
#: A reference inside the file, or a picture embedded in it.
_SAFE_REFERENCE = re.compile(r"#[^\s]*|data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*", re.IGNORECASE)
#: CSS functions that compute, transform or paint and load nothing; `url()` is checked apart.
_CSS_FUNCTIONS = frozenset({
    "", "rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color", "color-mix", "light-dark", "calc",
    "min", "max", "clamp", "var", "translate", "translatex", "translatey", "translatez", "translate3d", "scale", "scalex",
    "scaley", "scalez", "scale3d", "rotate", "rotatex", "rotatey", "rotatez", "rotate3d", "skew", "skewx", "skewy",
    "matrix", "matrix3d", "perspective", "cubic-bezier", "steps", "blur", "brightness", "contrast", "drop-shadow",
    "grayscale", "hue-rotate", "invert", "opacity", "saturate", "sepia", "path", "circle", "ellipse", "inset",
    "polygon", "rect", "not", "is", "where", "nth-child", "nth-last-child", "nth-of-type", "nth-last-of-type",
    "lang", "linear-gradient", "radial-gradient", "conic-gradient", "repeating-linear-gradient",
    "repeating-radial-gradient",
})
_CSS_AT_RULES = frozenset({"media", "keyframes", "-webkit-keyframes", "supports"})
_CSS_FUNCTION = re.compile(r"([\w-]*)\(")
_CSS_AT = re.compile(r"@([\w-]*)")


class SvgRefused(Exception):
    """The file cannot be read as SVG: nothing of it is published."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


@dataclass(frozen=True)
class Removed:
    """One thing kb left out, where it was. `active`: it could run script or load from elsewhere."""

    line: int
    col: int
    what: str
    active: bool


@dataclass(frozen=True)
class Sanitized:
    data: bytes
    removed: tuple[Removed, ...]


def sanitize_svg(data: bytes) -> Sanitized:
    """The SVG in `data` as kb publishes it, and what was left out. Raises SvgRefused."""
    handler = _Handler()
    parser = _Parser()
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(handler)
    try:
        parser.parse(io.BytesIO(data))
    except SAXParseException as error:
        raise SvgRefused(error.getLineNumber(), error.getColumnNumber() + 1,
                         f"the SVG cannot be read as XML: {error.getMessage()}") from None
    except DTDForbidden:
        line, col = handler.where()
        raise SvgRefused(line, col, "the SVG declares a DTD of its own (<!DOCTYPE … [ … ]>), which can define entities "
                                    "that expand to gigabytes or read other files; kb does not publish it: remove "
                                    "the declarations") from None
    except DefusedXmlException:
        line, col = handler.where()
        raise SvgRefused(line, col, "the SVG declares or uses an entity, which can expand to gigabytes or read other "
                                    "files; kb does not publish it: write the text itself instead") from None
    if handler.root is None:
        raise SvgRefused(1, 1, "the file holds no SVG")
    out: list[str] = []
    _write(handler.root, out, root=True, xlink=handler.uses_xlink)
    return Sanitized("".join(out).encode("utf-8") + b"\n", tuple(handler.removed))


def svg_diagnostics(display: str, removed: tuple[Removed, ...]) -> list[Diagnostic]:
    """What sanitising left out of the SVG at `display`: a warning for what could run script or
    load from elsewhere (`svg.unsafe`), a note for the rest (`svg.cleaned`), each at its first."""
    found = []
    active = [item for item in removed if item.active]
    if active:
        found.append(Diagnostic(display, active[0].line, active[0].col, Severity.WARNING, "svg.unsafe",
                                f"kb left out what could run script or load from elsewhere: {_listed(active)}; "
                                "the rest of the picture is published"))
    other = [item for item in removed if not item.active]
    if other:
        found.append(Diagnostic(display, other[0].line, other[0].col, Severity.INFO, "svg.cleaned",
                                f"kb left out what is not on its list of SVG elements and attributes: "
                                f"{_listed(other)}; the rest of the picture is published"))
    return found


def _listed(removed: list[Removed], most: int = 4) -> str:
    """`<script> (line 3), onload attribute (line 1) and 2 more`."""
    named = [f"{item.what} (line {item.line})" for item in removed[:most]]
    if len(removed) > most:
        return ", ".join(named) + f" and {len(removed) - most} more"
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def css_problem(text: str) -> str | None:
    """What in a piece of CSS could load from elsewhere or hide such a thing, if anything."""
    if "(" not in text and "@" not in text and "\\" not in text:
        return None
    if "\\" in text:
        return "a CSS escape"
    for rule in _CSS_AT.finditer(text):
        if rule.group(1).lower() not in _CSS_AT_RULES:
            return f"@{rule.group(1)}"
    for function in _CSS_FUNCTION.finditer(text):
        name = function.group(1).lower()
        if name == "url":
            if not text[function.end():].lstrip(" \t\r\n\f'\"").startswith("#"):
                return "url() to another file"
        elif name not in _CSS_FUNCTIONS:
            return f"{function.group(1)}()"
    return None


@dataclass
class _Element:
    name: str
    attributes: list[tuple[str, str]]
    #: Line and column of its start tag.
    where: tuple[int, int]
    children: list[_Element | str] = field(default_factory=list)


class _Parser(DefusedExpatParser):
    """defusedxml's SAX parser, which refuses entity declarations and external references,
    and also: never reads the external DTD a `<!DOCTYPE>` names, and refuses an internal one."""

    def __init__(self) -> None:
        super().__init__(forbid_dtd=False, forbid_entities=True, forbid_external=True)

    def reset(self) -> None:
        super().reset()
        self._parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self._parser.StartDoctypeDeclHandler = self._doctype

    def _doctype(self, name: str, sysid: str | None, pubid: str | None, has_internal_subset: int) -> None:
        if has_internal_subset:
            raise DTDForbidden(name, sysid, pubid)


class _Handler(ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.root: _Element | None = None
        self.stack: list[_Element] = []
        #: Depth inside an element that is left out with everything in it.
        self.skipping = 0
        self.removed: list[Removed] = []
        self.uses_xlink = False
        self.locator: Locator | None = None

    def setDocumentLocator(self, locator: Locator) -> None:  # noqa: N802
        self.locator = locator

    def where(self) -> tuple[int, int]:
        if self.locator is None:
            return 1, 1
        return self.locator.getLineNumber() or 1, (self.locator.getColumnNumber() or 0) + 1

    def _remove(self, what: str, active: bool, where: tuple[int, int] | None = None) -> None:
        line, col = where or self.where()
        self.removed.append(Removed(line, col, what, active))

    def startElementNS(self, name: tuple[str | None, str], qname: str | None, attrs: AttributesNSImpl) -> None:  # noqa: N802
        if self.skipping:
            self.skipping += 1
            return
        namespace, local = name
        svg = namespace in (SVG_NS, None)
        if self.root is None and not (svg and local == "svg"):
            line, col = self.where()
            raise SvgRefused(line, col, f"the file is not an SVG: it starts with <{_qualified(namespace, local)}>, "
                                        "not <svg>")
        in_style = bool(self.stack) and self.stack[-1].name == "style"
        if not svg or local not in ELEMENTS or in_style:
            # Inside <style>, any element would add its text to the CSS, past the check of it.
            self._remove(f"<{_qualified(namespace, local)}>" + (" in <style>" if in_style else ""),
                         in_style or local.lower() in _ACTIVE_ELEMENTS or namespace == "http://www.w3.org/1999/xhtml")
            self.skipping = 1
            return
        attributes, refused_reference = self._attributes(local, attrs)
        if local in _LOADING and refused_reference:
            self.skipping = 1  # nothing left to show: the reference is reported already
            return
        element = _Element(local, attributes, self.where())
        if self.stack:
            self.stack[-1].children.append(element)
        else:
            self.root = element
        self.stack.append(element)

    def _attributes(self, element: str, attrs: AttributesNSImpl) -> tuple[list[tuple[str, str]], bool]:
        """The attributes kept, and whether a reference to another file was left out."""
        kept = []
        refused_reference = False
        for (namespace, local), value in attrs.items():
            key = _NAMESPACED_ATTRIBUTES.get((namespace, local)) if namespace else local
            if key is None or not (key in ATTRIBUTES or key in _KEPT_NAMESPACED or key.startswith(("aria-", "data-"))):
                # An event handler runs script; xml:base would send the references kept elsewhere.
                active = local.lower().startswith("on") or (namespace, local) == (XML_NS, "base")
                self._remove(_qualified(namespace, local, attribute=True) + " attribute", active)
                continue
            if key in ("href", "xlink:href") and not _SAFE_REFERENCE.fullmatch(value.strip()):
                self._remove(f"{key}={_quoted(value)} on <{element}>", True)
                refused_reference = True
                continue
            if key in PRESENTATION and (problem := css_problem(value)):
                self._remove(f"{key}={_quoted(value)} ({problem})", True)
                continue
            self.uses_xlink |= key.startswith("xlink:")
            kept.append((key, value))
        return kept, refused_reference

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:  # noqa: N802
        if self.skipping:
            self.skipping -= 1
            return
        element = self.stack.pop()
        if element.name == "style":
            text = "".join(child for child in element.children if isinstance(child, str))
            problem = css_problem(text)
            if problem and self.stack and self.stack[-1].children[-1] is element:
                self._remove(f"<style> with {problem}", True, element.where)
                self.stack[-1].children.pop()

    def characters(self, content: str) -> None:
        if self.skipping or not self.stack:
            return
        children = self.stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += content
        else:
            children.append(content)

    def processingInstruction(self, target: str, data: str) -> None:  # noqa: N802
        self._remove(f"<?{target}?>", target.lower() == "xml-stylesheet")

    def skippedEntity(self, name: str) -> None:  # noqa: N802
        if not self.skipping:
            self._remove(f"&{name}; (defined nowhere in the file)", False)


def _qualified(namespace: str | None, local: str, attribute: bool = False) -> str:
    if not namespace or (namespace == SVG_NS and not attribute):
        return local
    prefix = _PREFIXES.get(namespace)
    return f"{prefix}:{local}" if prefix else f"{local} ({namespace})"


def _quoted(value: str) -> str:
    value = " ".join(value.split())
    return repr(value if len(value) <= 60 else value[:57] + "...")


def _write(element: _Element, out: list[str], root: bool = False, xlink: bool = False) -> None:
    out.append("<" + element.name)
    if root:
        out.append(f' xmlns="{SVG_NS}"' + (f' xmlns:xlink="{XLINK_NS}"' if xlink else ""))
    for key, value in element.attributes:
        out.append(f' {key}="{_escape(value, True)}"')
    if not element.children:
        out.append("/>")
        return
    out.append(">")
    for child in element.children:
        if isinstance(child, str):
            out.append(_escape(child, False))
        else:
            _write(child, out)
    out.append(f"</{element.name}>")


def _escape(text: str, attribute: bool) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if attribute:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    elif "\r" in text:
        text = text.replace("\r", "&#13;")
    return text
