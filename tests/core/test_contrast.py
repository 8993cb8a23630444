"""WCAG 2.2 contrast maths against values the WCAG documents and common tools publish."""

import pytest

from badgeforge.core.contrast import (
    ContrastCheck,
    InvalidColour,
    check_text_contrast,
    contrast_ratio,
    is_large_text,
    parse_colour,
    relative_luminance,
    required_ratio,
)


class TestRelativeLuminance:
    @pytest.mark.parametrize(
        ("colour", "luminance"),
        [
            ("#000000", 0.0),
            ("#ffffff", 1.0),
            ("#FF0000", 0.2126),
            ("#00ff00", 0.7152),
            ("#0000ff", 0.0722),
            ("#808080", 0.2158605),
            ("#767676", 0.1811642),
        ],
    )
    def test_known_values(self, colour: str, luminance: float) -> None:
        assert relative_luminance(colour) == pytest.approx(luminance, abs=1e-6)

    def test_the_linear_segment_is_used_for_dark_channels(self) -> None:
        """#0a0a0a: 10/255 = 0.039 lies below the 0.04045 knee, so it is divided by 12.92."""
        assert relative_luminance("#0a0a0a") == pytest.approx(10 / 255 / 12.92)


class TestContrastRatio:
    @pytest.mark.parametrize(
        ("first", "second", "ratio"),
        [
            ("#000000", "#ffffff", 21.0),
            ("#ffffff", "#ffffff", 1.0),
            ("#767676", "#ffffff", 4.54),  # the lightest grey that passes AA on white
            ("#777777", "#ffffff", 4.48),  # one step lighter fails
            ("#ff0000", "#ffffff", 4.00),
            ("#0000ff", "#ffffff", 8.59),
        ],
    )
    def test_published_ratios(self, first: str, second: str, ratio: float) -> None:
        assert round(contrast_ratio(first, second), 2) == ratio

    def test_order_does_not_matter(self) -> None:
        assert contrast_ratio("#1d4e89", "#f2a541") == contrast_ratio("#f2a541", "#1d4e89")

    def test_upper_and_lower_case_are_the_same_colour(self) -> None:
        assert contrast_ratio("#ABCDEF", "#000000") == contrast_ratio("#abcdef", "#000000")


class TestLargeText:
    @pytest.mark.parametrize(
        ("size_px", "bold", "large"),
        [
            (24.0, False, True),
            (23.9, False, False),
            (18.66, True, True),
            (18.6, True, False),
            (20.0, False, False),
        ],
    )
    def test_thresholds(self, size_px: float, bold: bool, large: bool) -> None:
        assert is_large_text(size_px, bold=bold) is large
        assert required_ratio(size_px, bold=bold) == (3.0 if large else 4.5)


class TestCheck:
    def test_large_bold_text_passes_at_three_to_one(self) -> None:
        check = check_text_contrast("#ffffff", "#949494", size_px=19, bold=True)
        assert check.required == 3.0
        assert check.passed
        assert not check_text_contrast("#ffffff", "#949494", size_px=16, bold=True).passed

    def test_exactly_the_minimum_passes(self) -> None:
        assert ContrastCheck(ratio=4.5, required=4.5).passed
        assert not ContrastCheck(ratio=4.499, required=4.5).passed


class TestParse:
    def test_channels(self) -> None:
        assert parse_colour("#1d4e89") == (0x1D, 0x4E, 0x89)

    @pytest.mark.parametrize("colour", ["1d4e89", "#fff", "#12345g", "#1234567", "red", ""])
    def test_refused(self, colour: str) -> None:
        with pytest.raises(InvalidColour, match="#RRGGBB"):
            parse_colour(colour)
