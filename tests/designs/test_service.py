"""Every design in every scheme renders to a clean SVG and a real PNG; unreadable ones refused."""

import io
import re
from collections import Counter
from pathlib import Path
from typing import get_args

import pytest
from PIL import Image

from badgeforge.core.contrast import contrast_ratio
from badgeforge.core.images import sanitize_svg
from badgeforge.core.svg import parse_svg
from badgeforge.designs import catalogue
from badgeforge.designs.layout import TextArea
from badgeforge.designs.schemas import DesignImage, SchemeName
from badgeforge.designs.service import design_svg, palette, render_design
from badgeforge.problems import InvalidBadgeImage, NotFound
from badgeforge.settings import Settings

SETTINGS = Settings()
FOLDER = SETTINGS.badge_templates_dir
DESIGNS = [design.name for design in catalogue.designs(FOLDER)]
ICONS = [icon.name for icon in catalogue.icons(FOLDER)]
TITLE = "Sécurité et hygiène au travail"


def decode(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()  # decodes every pixel: a truncated or corrupt PNG raises here
    return image.convert("RGBA")


def rgb(colour: str) -> tuple[int, int, int, int]:
    value = int(colour[1:], 16)
    return value >> 16, (value >> 8) & 0xFF, value & 0xFF, 255


class TestCatalogue:
    def test_at_least_five_designs_six_schemes_ten_icons(self) -> None:
        assert {"medaillon", "ecusson", "ruban", "hexagone", "rosette", "tuile"} <= set(DESIGNS)
        assert len(catalogue.SCHEMES) >= 6
        assert {"casque", "equipe", "bulle", "stylo", "calculatrice", "ordinateur"} <= set(ICONS)
        assert {"boussole", "ampoule", "livre", "etoile"} <= set(ICONS)

    def test_every_scheme_is_readable_and_its_ring_stands_out(self) -> None:
        """Text at 4.5:1 on the primary colour (any size); the ring at 3:1 (WCAG 1.4.11)."""
        for scheme in catalogue.SCHEMES.values():
            assert contrast_ratio(scheme.text, scheme.primary) >= 4.5, scheme.name
            assert contrast_ratio(scheme.primary, scheme.secondary) >= 3, scheme.name

    def test_the_schema_names_every_scheme(self) -> None:
        assert set(get_args(SchemeName)) == set(catalogue.SCHEMES)

    def test_every_design_and_icon_has_french_and_english_titles(self) -> None:
        titles = [d.title for d in catalogue.designs(FOLDER)]
        titles += [i.title for i in catalogue.icons(FOLDER)]
        for title in titles:
            assert title.fr, title
            assert title.en, title
        for design in catalogue.designs(FOLDER):
            assert design.description.fr != design.description.en, design.name

    def test_a_file_without_metadata_gets_defaults(self, tmp_path: Path) -> None:
        (tmp_path / "plain.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
        (tmp_path / "Not_A_Name.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
        [design] = catalogue.designs(tmp_path)
        assert design.title == catalogue.Localised("plain", "plain")
        assert design.area == TextArea(*catalogue.DEFAULT_AREA)
        assert catalogue.find_design(tmp_path, "../medaillon") is None
        assert catalogue.find_design(tmp_path, "Not_A_Name") is None

    def test_the_catalogue_names_the_designs_in_both_languages(self) -> None:
        listed = {design.name: design for design in catalogue.designs(SETTINGS.badge_templates_dir)}
        assert listed["medaillon"].title == catalogue.Localised("Médaillon", "Medallion")


@pytest.mark.parametrize("scheme", sorted(catalogue.SCHEMES))
@pytest.mark.parametrize("design", DESIGNS)
def test_every_design_renders_in_every_scheme(design: str, scheme: str) -> None:
    params = DesignImage(template=design, scheme=scheme, icon="etoile", subtitle="Cercle 1")
    image = render_design(params, "Travailler en équipe", SETTINGS)
    colours = palette(params)
    assert sanitize_svg(image.svg)[0] == image.svg  # already what the sanitiser keeps
    assert b"{{" not in image.svg
    root = parse_svg(image.svg).root
    assert root.get("viewBox") == "0 0 512 512"
    picture = decode(image.png)
    assert picture.size == (512, 512)
    counts: Counter[tuple[int, ...]] = Counter()
    for n, colour in picture.getcolors(512 * 512) or []:
        assert isinstance(colour, tuple)
        counts[colour] = n
    opaque = [(colour, n) for colour, n in counts.most_common() if colour[3] == 255]
    assert opaque[0][0] == rgb(colours.primary)  # the colour behind the text fills the most
    assert counts[rgb(colours.text)] > 1500  # title, subtitle and icon are drawn
    assert counts[rgb(colours.secondary)] > 1500


class TestContent:
    @pytest.mark.parametrize("icon", ICONS)
    def test_every_icon_is_drawn_in_the_text_colour(self, icon: str) -> None:
        params = DesignImage(template="tuile", icon=icon, text_colour="#fffffe")
        svg = design_svg(params, "Accueil", SETTINGS).decode()
        assert len(re.findall(r"<svg\b", svg)) == 2
        assert "currentColor" not in svg
        assert 'stroke="#fffffe"' in svg

    def test_the_accessible_name_has_the_title_and_subtitle(self) -> None:
        params = DesignImage(subtitle="Cercle 3")
        svg = design_svg(params, "Gérer l'information", SETTINGS).decode()
        assert "<title>Gérer l'information — Cercle 3</title>" in svg

    def test_placeholders_in_the_title_are_text(self) -> None:
        svg = design_svg(DesignImage(), "{{PRIMARY}} {{CONTENT}}", SETTINGS).decode()
        assert "<title>{{PRIMARY}} {{CONTENT}}</title>" in svg

    def test_the_old_body_gives_the_old_colours(self) -> None:
        old = DesignImage.model_validate(
            {"template": "ecusson", "primary_colour": "#1E6B3A", "secondary_colour": "#ffffff"}
        )
        colours = palette(old)
        assert (colours.primary, colours.secondary, colours.text) == (
            "#1e6b3a",
            "#ffffff",
            "#ffffff",
        )
        default = palette(DesignImage())
        assert (default.primary, default.secondary) == ("#1d4e89", "#f2a541")

    def test_explicit_colours_win_over_the_scheme(self) -> None:
        colours = palette(DesignImage(scheme="soleil", primary_colour="#000000"))
        assert (colours.primary, colours.text) == ("#000000", "#1b1b1b")


class TestRefusals:
    def test_low_contrast_is_refused_with_the_measured_ratio(self) -> None:
        params = DesignImage(primary_colour="#f2a541")  # white text on orange
        with pytest.raises(InvalidBadgeImage) as refused:
            design_svg(params, "Accueil", SETTINGS)
        problem = refused.value
        assert "2.05:1" in problem.detail
        assert "3:1" in problem.detail  # a large bold title needs 3:1
        assert problem.extensions["check"] == "contrast"
        assert problem.extensions["contrast_ratio"] == 2.05
        assert problem.extensions["required_ratio"] == 3.0

    def test_small_text_needs_four_and_a_half_to_one(self) -> None:
        """#949494 gives 3.03:1 with white: enough for a large title, not for the subtitle."""
        params = DesignImage(template="tuile", primary_colour="#949494")
        design_svg(params, "Accueil", SETTINGS)
        with pytest.raises(InvalidBadgeImage, match=r"3\.03:1.*4\.5:1") as refused:
            design_svg(params.model_copy(update={"subtitle": "Cercle 1"}), "Accueil", SETTINGS)
        assert refused.value.extensions["text"] == "subtitle"

    def test_an_overlong_title_is_refused(self) -> None:
        with pytest.raises(InvalidBadgeImage, match="does not fit") as refused:
            design_svg(DesignImage(icon="casque"), TITLE * 3, SETTINGS)
        assert refused.value.extensions == {"check": "text-size", "field": "title"}

    def test_unknown_design_and_icon(self) -> None:
        with pytest.raises(NotFound):
            design_svg(DesignImage(template="nope"), TITLE, SETTINGS)
        with pytest.raises(InvalidBadgeImage, match="No icon named 'nope'"):
            design_svg(DesignImage(icon="nope"), TITLE, SETTINGS)
