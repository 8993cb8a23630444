"""Fitting the title: largest readable size first, refused rather than shrunk past readable."""

import pytest

from badgeforge.designs.layout import (
    MAX_TITLE_LINES,
    MIN_TITLE_PX,
    SCALE,
    TextArea,
    TextDoesNotFit,
    fit,
    title_svg,
    units,
    wrap,
)
from badgeforge.designs.metrics import character_width, text_width

SQUARE = TextArea(64, 72, 384, 344)
ROUND = TextArea(76, 76, 360, 360, circle=(256, 256, 190))
RECTEC_NAMES = [
    "S'organiser dans son activité",
    "Prendre en compte les règles",
    "Travailler en équipe",
    "Utiliser les mathématiques",
    "Communiquer à l'oral",
    "Communiquer à l'écrit",
    "Prendre en compte les usages sociaux",
    "Utiliser les outils numériques",
    "Gérer l'information",
    "Agir face à l'imprévu",
    "Construire son parcours professionnel",
    "Développer ses savoirs et ses manières d'apprendre",
]


class TestMetrics:
    def test_widths_come_from_the_font(self) -> None:
        assert character_width("m") > character_width("a") > character_width("i")
        assert text_width("Équipe", 100) == pytest.approx(
            sum(character_width(c) for c in "Équipe") * 100
        )

    def test_unknown_characters_count_wide_and_combining_marks_count_nothing(self) -> None:
        assert character_width("漢") == 1.0
        assert character_width("\u0301") == 0.0


class TestWrap:
    def test_words_are_kept_whole(self) -> None:
        lines = wrap("Sécurité et hygiène au travail", units(300 * SCALE), 40)
        assert lines is not None
        assert " ".join(lines) == "Sécurité et hygiène au travail"
        assert all(text_width(line, 40) <= 300 for line in lines)

    def test_a_word_wider_than_the_line_is_reported(self) -> None:
        assert wrap("Anticonstitutionnellement", 200, 40) is None


class TestFit:
    def test_a_short_title_is_drawn_large_on_one_line(self) -> None:
        layout = fit("Accueil", SQUARE, icon=False, subtitle=None)
        assert len(layout.title_lines) == 1
        assert layout.title_px == pytest.approx(26.0)

    def test_a_longer_title_shrinks_but_stays_readable(self) -> None:
        layout = fit(RECTEC_NAMES[-1], ROUND, icon=False, subtitle="Cercle 2")
        assert MIN_TITLE_PX <= layout.title_px < 26.0
        assert len(layout.title_lines) <= MAX_TITLE_LINES

    @pytest.mark.parametrize("name", RECTEC_NAMES)
    def test_every_rectec_competency_fits_a_medallion_with_its_level(self, name: str) -> None:
        layout = fit(name, ROUND, icon=False, subtitle="Cercle 4")
        assert " ".join(line.text for line in layout.title_lines) == name

    def test_lines_stay_inside_a_round_area(self) -> None:
        layout = fit("Prendre en compte les usages sociaux", ROUND, icon=True, subtitle=None)
        cx, cy, radius = 256, 256, 190
        for line in layout.title_lines:
            half = text_width(line.text, layout.title_size) / 2
            top = line.y - layout.title_size  # generous: a whole em above the baseline
            for y in (top, line.y):
                assert (half**2 + (y - cy) ** 2) ** 0.5 <= radius, line
            assert cx - half >= ROUND.x

    def test_an_overlong_title_is_refused_not_shrunk(self) -> None:
        title = "Prendre en compte les règles d'hygiène et de sécurité " * 3
        with pytest.raises(TextDoesNotFit, match="smallest readable size") as refused:
            fit(title, ROUND, icon=True, subtitle=None)
        assert refused.value.field == "title"
        assert "16 px" in refused.value.detail

    def test_a_word_too_wide_is_named(self) -> None:
        with pytest.raises(TextDoesNotFit, match="Anticonstitutionnellement"):
            fit("Anticonstitutionnellement", ROUND, icon=False, subtitle=None)

    def test_an_overlong_subtitle_is_refused(self) -> None:
        with pytest.raises(TextDoesNotFit, match="subtitle") as refused:
            fit("Accueil", ROUND, icon=False, subtitle="Niveau expert confirmé avec mention")
        assert refused.value.field == "subtitle"

    def test_the_icon_takes_room_above_the_title(self) -> None:
        layout = fit("Accueil", SQUARE, icon=True, subtitle=None)
        assert layout.icon_box is not None
        x, y, size = layout.icon_box
        assert y + size < layout.title_lines[0].y - layout.title_size
        assert x + size / 2 == pytest.approx(SQUARE.centre_x)


class TestSvg:
    def test_text_is_escaped(self) -> None:
        layout = fit("<b>Tom & Jerry</b>", SQUARE, icon=False, subtitle="a<b")
        svg = title_svg(layout, "#ffffff")
        assert "&lt;b&gt;Tom" in svg
        assert "&amp;" in svg
        assert "a&lt;b" in svg
        assert "<b>" not in svg
