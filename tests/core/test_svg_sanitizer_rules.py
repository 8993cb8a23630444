"""Single rules of the SVG sanitiser, each checked on its own.

The hostile-file tests in test_images.py catch attacks that several rules block at once.
Here every rule stands alone, so switching one off fails a test; mutation testing
(scripts/mutation) found the rules no test depended on.
"""

import pytest

from badgeforge.core.images import sanitize_svg

SVG = "http://www.w3.org/2000/svg"
ROOT = f'<svg xmlns="{SVG}" width="10" height="10">'


def clean(body: str) -> str:
    """The sanitised content of an SVG whose root holds `body`."""
    out = sanitize_svg(f"{ROOT}{body}</svg>".encode())[0].decode()
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n{ROOT}'
    if out == head[:-1] + "/>":
        return ""
    assert out.startswith(head)
    assert out.endswith("</svg>")
    return out[len(head) : -len("</svg>")]


# Each is caught by the forbidden-CSS list alone: no url() to elsewhere is involved.
FORBIDDEN_CSS = [
    '@import "https://evil.example/theme.css";',
    "@IMPORT 'https://evil.example/theme.css';",
    "g { fill: image-set('https://evil.example/a.png' 1x); }",
    "g { fill: Image-Set('a.png' 1x); }",
    "g { fill: image('https://evil.example/a.png'); }",
    "g { fill: cross-fade(50% a, b); }",
    "g { fill: ELEMENT(#other); }",
    "g { width: expression(alert(1)); }",
    "g { behavior: JavaScript:alert(1); }",
    "g { behavior: vbscript:msgbox(1); }",
    "g { fill: \\75 rl(https://evil.example/a); }",
]


class TestForbiddenCss:
    @pytest.mark.parametrize("css", FORBIDDEN_CSS)
    def test_a_style_sheet_with_it_is_removed_whatever_its_case(self, css: str) -> None:
        assert clean(f"<style>{css}</style><rect/>") == "<rect/>"

    @pytest.mark.parametrize(
        "css", [c for c in FORBIDDEN_CSS if "{" in c and "script:" not in c.lower()]
    )
    def test_a_style_declaration_with_it_is_removed(self, css: str) -> None:
        declaration = css.partition("{")[2].rpartition("}")[0].strip().rstrip(";")
        assert (
            clean(f'<rect style="stroke: blue; {declaration}"/>') == '<rect style="stroke: blue"/>'
        )

    @pytest.mark.parametrize("css", [c for c in FORBIDDEN_CSS if "{" in c])
    def test_a_presentation_attribute_with_it_is_removed(self, css: str) -> None:
        value = css.partition(":")[2].rpartition("}")[0].strip().rstrip(";")
        assert clean(f'<rect fill="{value}" stroke="blue"/>') == '<rect stroke="blue"/>'

    @pytest.mark.parametrize(
        "css", ["g { fill: URL(https://evil.example/a#p); }", "g { fill: Url( 'http://x/#p'); }"]
    )
    def test_an_external_url_is_refused_in_any_case(self, css: str) -> None:
        assert clean(f"<style>{css}</style>") == ""


class TestSafeCssIsKept:
    def test_a_style_sheet_without_a_type_is_css(self) -> None:
        sheet = "<style>.a { fill: url(#grad); stroke: #222; }</style>"
        assert clean(sheet) == sheet

    def test_a_text_css_type_is_accepted_in_any_case_and_spacing(self) -> None:
        sheet = '<style type=" Text/CSS ">.a { fill: red; }</style>'
        assert clean(sheet) == sheet

    def test_an_empty_style_sheet_is_kept(self) -> None:
        assert clean("<style/>") == "<style/>"

    def test_safe_declarations_are_kept_and_joined_with_semicolons(self) -> None:
        body = '<rect style=" fill: red ;stroke: blue; ; nonsense ;opacity:0.5"/>'
        assert clean(body) == '<rect style="fill: red;stroke: blue;opacity:0.5"/>'


class TestAttributes:
    @pytest.mark.parametrize(
        "value", ["javascript:alert(1)", "VBScript:msgbox(1)", "vb&#9;script:x", " JAVA\nSCRIPT:x"]
    )
    def test_script_urls_are_removed_from_any_attribute(self, value: str) -> None:
        assert clean(f'<rect fill="{value}" width="5"/>') == '<rect width="5"/>'

    def test_xml_space_and_lang_are_kept_but_not_xml_base(self) -> None:
        body = '<text xml:space="preserve" xml:lang="fr" xml:base="https://evil.example/">é</text>'
        assert clean(body) == '<text xml:space="preserve" xml:lang="fr">é</text>'

    def test_event_handlers_are_removed_whatever_their_case(self) -> None:
        assert clean('<rect OnClick="x()" onload="y()" width="5"/>') == '<rect width="5"/>'


class TestLinks:
    def test_a_link_inside_text_becomes_a_tspan_keeping_its_words(self) -> None:
        body = '<text>Voir <a href="https://example.org" target="_top">le site</a>.</text>'
        assert clean(body) == "<text>Voir <tspan>le site</tspan>.</text>"

    def test_a_link_elsewhere_becomes_a_group(self) -> None:
        body = '<a href="https://example.org" rel="x"><rect width="5"/></a>'
        assert clean(body) == '<g><rect width="5"/></g>'


class TestRemovedElementsKeepTheTextAround:
    def test_text_after_a_first_child_moves_to_the_parent(self) -> None:
        assert clean("<text><script>x()</script>après</text>") == "<text>après</text>"

    def test_text_after_a_first_child_follows_the_parent_text(self) -> None:
        body = "<text>avant <script>x()</script>après</text>"
        assert clean(body) == "<text>avant après</text>"

    def test_text_after_a_later_child_follows_the_previous_kept_sibling(self) -> None:
        body = "<text><tspan>a</tspan><script/>b<script/>c</text>"
        assert clean(body) == "<text><tspan>a</tspan>bc</text>"

    def test_the_previous_siblings_own_tail_comes_first(self) -> None:
        body = "<text><tspan>a</tspan>, <foreignObject/>b</text>"
        assert clean(body) == "<text><tspan>a</tspan>, b</text>"

    def test_a_removed_element_between_kept_ones_keeps_the_order(self) -> None:
        body = "<text>1<tspan>2</tspan>3<set/>4<tspan>5</tspan>6<script/>7</text>"
        assert clean(body) == "<text>1<tspan>2</tspan>34<tspan>5</tspan>67</text>"

    def test_a_removed_last_element_without_text_leaves_its_sibling_alone(self) -> None:
        assert clean("<g><rect/><script>x()</script></g>") == "<g><rect/></g>"
