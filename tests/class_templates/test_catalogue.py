"""The shipped templates: every file loads strictly, reads easily, and is drawn readably."""

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from badgeforge.class_templates.catalogue import (
    TemplateFileError,
    catalogue,
    load_catalogue,
    read_template,
)
from badgeforge.class_templates.schemas import FALC, BadgeClassTemplate, FrameworkReference
from badgeforge.core.contrast import contrast_ratio
from badgeforge.frameworks.builtin import load_builtins
from badgeforge.settings import Settings
from tests.class_templates.falc import measure, sentences

SETTINGS = Settings()
TEMPLATES = catalogue(SETTINGS).list()
FOLDER = SETTINGS.badge_templates_dir / "badge-classes"
RECTEC = {
    "C1": "S'organiser dans son activité",
    "C2": "Prendre en compte les règles",
    "C3": "Travailler en équipe",
    "C4": "Utiliser les mathématiques",
    "C5": "Communiquer à l'oral",
    "C6": "Communiquer à l'écrit",
    "C7": "Prendre en compte les usages sociaux",
    "C8": "Utiliser les outils numériques",
    "C9": "Gérer l'information",
    "C10": "Agir face à l'imprévu",
    "C11": "Construire son parcours professionnel",
    "C12": "Développer ses savoirs et ses manières d'apprendre",
}
MAX_AVERAGE_WORDS = 12
MAX_SENTENCE_WORDS = 20


def falc_texts(template: BadgeClassTemplate) -> list[str]:
    easy = template.translations[FALC]
    texts = [easy.name, easy.description, easy.audience, easy.evidence_expectations]
    texts += [easy.endorsement_expectations, easy.criteria.narrative if easy.criteria else None]
    return [text for text in texts if text]


def ids(template: BadgeClassTemplate) -> str:
    return template.key


class TestFiles:
    def test_every_file_loads(self) -> None:
        files = sorted(path.stem for path in FOLDER.glob("*.json"))
        assert files == sorted(template.key for template in TEMPLATES)
        assert len(files) == 13

    def test_the_catalogue_is_read_once(self) -> None:
        assert catalogue(SETTINGS) is catalogue(SETTINGS)

    def test_natural_order(self) -> None:
        keys = [template.key for template in TEMPLATES]
        assert keys.index("rectec-c2") < keys.index("rectec-c10")

    @pytest.mark.parametrize("template", TEMPLATES, ids=ids)
    def test_every_template_has_the_three_languages(self, template: BadgeClassTemplate) -> None:
        assert template.languages == ["fr", "en", FALC]
        for translation in template.translations.values():
            assert translation.audience
            assert translation.criteria
            assert translation.evidence_expectations
            assert translation.endorsement_expectations
        assert template.audience
        assert template.evidence_expectations
        assert template.endorsement_expectations

    @pytest.mark.parametrize("template", TEMPLATES, ids=ids)
    def test_descriptions_are_in_the_learners_words(self, template: BadgeClassTemplate) -> None:
        assert template.description.startswith("Avec ce badge, je ")
        assert template.translations["en"].description.startswith("With this badge, I ")
        assert template.translations[FALC].description.startswith("Avec ce badge, je ")


class TestStrictness:
    def original(self) -> dict[str, object]:
        loaded: dict[str, object] = json.loads((FOLDER / "rectec-c3.json").read_text())
        return loaded

    def write(self, tmp_path: Path, data: object, name: str = "rectec-c3") -> Path:
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    def test_unknown_field_refused(self, tmp_path: Path) -> None:
        path = self.write(tmp_path, {**self.original(), "colour": "red"})
        with pytest.raises(TemplateFileError, match=r"(?s)rectec-c3\.json.*colour"):
            read_template(path)

    def test_unknown_translation_field_refused(self, tmp_path: Path) -> None:
        data = self.original()
        data["translations"] = {"en": {"name": "x", "description": "y", "motto": "z"}}
        with pytest.raises(TemplateFileError, match="motto"):
            read_template(self.write(tmp_path, data))

    def test_too_long_name_refused(self, tmp_path: Path) -> None:
        with pytest.raises(TemplateFileError, match="name"):
            read_template(self.write(tmp_path, {**self.original(), "name": "x" * 201}))

    def test_unreadable_colour_refused(self, tmp_path: Path) -> None:
        image = {"template": "ruban", "primary_colour": "#f2c230", "secondary_colour": "#1e6b3c"}
        with pytest.raises(TemplateFileError, match=r"contrast of 1\.6"):
            read_template(self.write(tmp_path, {**self.original(), "image": image}))

    def test_key_must_match_file_name(self, tmp_path: Path) -> None:
        with pytest.raises(TemplateFileError, match="holds the key"):
            read_template(self.write(tmp_path, self.original(), name="rectec-c4"))

    def test_string_number_refused(self, tmp_path: Path) -> None:
        data = {**self.original(), "expires_after_days": "365"}
        with pytest.raises(TemplateFileError, match="expires_after_days"):
            read_template(self.write(tmp_path, data))

    def test_main_language_is_not_a_translation(self) -> None:
        data = {**self.original(), "translations": {"fr": {"name": "x", "description": "y"}}}
        with pytest.raises(ValidationError, match="main language"):
            BadgeClassTemplate.model_validate(data)

    def test_control_characters_refused(self) -> None:
        with pytest.raises(ValidationError, match="must not contain"):
            BadgeClassTemplate.model_validate({**self.original(), "audience": "a\x00b"})

    def test_markdown_stays_text(self) -> None:
        data = {**self.original(), "description": "<script>alert(1)</script> **gras**"}
        assert BadgeClassTemplate.model_validate(data).description == data["description"]

    def test_missing_folder_is_an_empty_catalogue(self, tmp_path: Path) -> None:
        assert load_catalogue(tmp_path / "nothing").list() == []


class TestRectec:
    def test_every_competency_exactly_once(self) -> None:
        codes = [
            alignment.code
            for template in TEMPLATES
            if template.key.startswith("rectec-")
            for alignment in template.alignments
            if isinstance(alignment, FrameworkReference)
        ]
        assert sorted(codes) == sorted(RECTEC)

    @pytest.mark.parametrize("code", RECTEC)
    def test_competency_template(self, code: str) -> None:
        template = catalogue(SETTINGS).get(f"rectec-{code.lower()}")
        assert template.name == RECTEC[code]
        assert template.achievement_type == "Competency"
        assert template.alignments == [FrameworkReference(framework="rectec", code=code)]
        assert [level.name for level in template.levels] == [f"Cercle {n}" for n in range(1, 5)]
        assert template.levels[0].description
        assert template.levels[0].description.startswith("Identifie")
        assert template.levels[3].description == "Planifie et organise pour une équipe."
        assert template.human_code == f"RECTEC {code}"
        assert "RECTEC" in template.tags

    def test_names_and_levels_match_the_built_in_framework(self) -> None:
        rectec = next(framework for framework in load_builtins() if framework.slug == "rectec")
        for item in rectec.items:
            template = catalogue(SETTINGS).get(f"rectec-{item.code.lower()}")
            assert template.name == item.name
            assert template.translations["en"].name == item.translations["en"].name
            assert [level.name for level in template.levels] == [
                level.name for level in rectec.levels
            ]
        assert len(rectec.items) == len(RECTEC)


class TestSafety:
    def test_criteria_list_the_risks_and_hygiene(self) -> None:
        template = catalogue(SETTINGS).get("securite-hygiene-travail")
        narrative = template.criteria.narrative
        for risk in (
            "Activité physique",
            "Machines et outils",
            "Produits chimiques",
            "Incendie",
            "Électricité",
            "Circulation",
        ):
            assert f"**{risk}**" in narrative
        for hygiene in ("lave les mains", "poste de travail propre", "protection", "déchets"):
            assert hygiene in narrative
        assert "trajets" in narrative
        assert template.alignments == [FrameworkReference(framework="rectec", code="C2")]
        assert template.achievement_type == "Badge"


class TestEasyToRead:
    @pytest.mark.parametrize("template", TEMPLATES, ids=ids)
    def test_falc_rules(self, template: BadgeClassTemplate) -> None:
        counts: list[int] = []
        for text in falc_texts(template):
            measured = measure(text)
            assert not measured.faults, measured.faults
            counts.extend(measured.words)
        assert sum(counts) / len(counts) <= MAX_AVERAGE_WORDS
        assert max(counts) <= MAX_SENTENCE_WORDS

    def test_the_measure_catches_hard_text(self) -> None:
        hard = (
            "Le travailleur, lorsqu'il a été sensibilisé par l'ESAT aux risques professionnels "
            "(chimiques, électriques, etc.), applique les consignes; il les transmet, les "
            "explique, les adapte et les fait évoluer avec son équipe dans tous les ateliers."
        )
        measured = measure(hard)
        assert max(measured.words) > MAX_SENTENCE_WORDS
        assert any("abbreviation" in fault for fault in measured.faults)
        assert any("commas" in fault for fault in measured.faults)
        assert any("';'" in fault for fault in measured.faults)

    def test_list_items_and_headings_are_sentences(self) -> None:
        assert sentences("**Le feu**\n\n- Je sors.\n- Je préviens. Je reste calme.") == [
            "Le feu",
            "Je sors.",
            "Je préviens.",
            "Je reste calme.",
        ]


class TestImages:
    @pytest.mark.parametrize("template", TEMPLATES, ids=ids)
    def test_white_title_is_readable(self, template: BadgeClassTemplate) -> None:
        assert contrast_ratio("#ffffff", template.image.primary_colour) >= 4.5

    @pytest.mark.parametrize("template", TEMPLATES, ids=ids)
    def test_ring_stands_out(self, template: BadgeClassTemplate) -> None:
        """WCAG 1.4.11: graphical parts at 3:1 against what is next to them."""
        image = template.image
        assert contrast_ratio(image.primary_colour, image.secondary_colour) >= 3

    @pytest.mark.parametrize("template", TEMPLATES, ids=ids)
    def test_design_exists(self, template: BadgeClassTemplate) -> None:
        assert (SETTINGS.badge_templates_dir / f"{template.image.template}.svg").is_file()
        if template.image.icon is not None:  # none where the name needs all the room
            icon = SETTINGS.badge_templates_dir / "icons" / f"{template.image.icon}.svg"
            assert icon.is_file()
