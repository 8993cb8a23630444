"""Framework imports without HTTP or a database: CSV rows by line, JSON fields by path."""

import json
from typing import Any

import pytest

from badgeforge.core.framework_csv import parse_csv
from badgeforge.core.frameworks import (
    FrameworkImportError,
    builtin_framework_id,
    builtin_item_id,
    framework_from_mapping,
    parse_json,
)
from badgeforge.frameworks.builtin import load_builtins

HEADER = "code;name;description;url;group;level\n"
GOOD = (
    HEADER
    + ";Cercle 1;Identifie;;;1\n"
    + ";Cercle 2;;;;2\n"
    + "C1;S'organiser dans son activité;;;Organisationnel;\n"
    + "C1;;Repère les étapes de son travail.;;;1\n"
    + "C2;Prendre en compte les règles;;https://example.org/c2;Organisationnel;\n"
)


def problems(data: bytes) -> list[tuple[int | None, str]]:
    with pytest.raises(FrameworkImportError) as raised:
        parse_csv(data)
    return [(problem.line, problem.message) for problem in raised.value.problems]


class TestCsv:
    def test_items_levels_and_descriptors(self) -> None:
        parsed = parse_csv(GOOD.encode())
        assert [item.code for item in parsed.items] == ["C1", "C2"]
        assert [(level.number, level.name) for level in parsed.levels] == [
            (1, "Cercle 1"),
            (2, "Cercle 2"),
        ]
        assert parsed.levels[0].description == "Identifie"
        first = parsed.items[0]
        assert first.group == "Organisationnel"
        assert [(d.number, d.description) for d in first.levels] == [
            (1, "Repère les étapes de son travail.")
        ]
        assert parsed.items[1].url == "https://example.org/c2"

    def test_comma_bom_crlf_and_french_headers(self) -> None:
        text = (
            "\ufeffCode,Nom,Pôle,Niveau,Nom_EN\r\n,Cercle 1,,1,\r\n"
            "C3,Travailler en équipe,Organisationnel,,Work in a team\r\n"
        )
        parsed = parse_csv(text.encode())
        item = parsed.items[0]
        assert (item.code, item.name, item.group) == (
            "C3",
            "Travailler en équipe",
            "Organisationnel",
        )
        assert item.translations["en"].name == "Work in a team"

    def test_quoted_cells_with_separators_and_new_lines(self) -> None:
        text = HEADER + 'C1;"Organiser; planifier";"Ligne 1\nLigne 2";;;\nC2;Règles;;;;\n'
        parsed = parse_csv(text.encode())
        assert parsed.items[0].name == "Organiser; planifier"
        assert parsed.items[0].description == "Ligne 1\nLigne 2"

    def test_every_bad_row_is_reported_by_line(self) -> None:
        text = (
            HEADER
            + "C1;Organiser;;;;\n"  # line 2: good
            + "C1;Encore;;;;\n"  # 3: duplicate code
            + ";;;;;\n"  # 4: blank, skipped
            + "C2;;;;;\n"  # 5: no name
            + "C3;Trois;;ftp://example.org;;\n"  # 6: bad URL
            + "C4;Quatre;;;;douze\n"  # 7: bad level
            + "C9;;Au cercle 1;;;1\n"  # 8: unknown item, unnamed level
            + "C 5;Cinq;;;;\n"  # 9: bad code
            + ";;;;;3\n"  # 10: a level without a name
            + "C6;Six;;;;;extra\n"  # 11: too many cells
        )
        found = problems(text.encode())
        lines = [line for line, _ in found]
        assert lines == [3, 5, 6, 7, 8, 9, 10, 11]
        messages = dict(found)
        assert "already on line 2" in messages[3]
        assert "'name'" in messages[5]
        assert "URL" in messages[6]
        assert "level" in messages[7]
        assert "C9" in messages[8]
        assert "'code'" in messages[9]
        assert "name" in messages[10]
        assert "7 cells" in messages[11]

    def test_descriptor_of_unnamed_level_is_reported(self) -> None:
        text = HEADER + "C1;Organiser;;;;\nC1;;Au cercle 2;;;2\n"
        assert problems(text.encode()) == [
            (3, "level 2 has no name: add a row with no code, level 2 and its name.")
        ]

    def test_header_problems_come_first(self) -> None:
        found = problems(b"code;nom;couleur\nC1;Un;bleu\n")
        assert found[0][0] == 1
        assert "couleur" in found[0][1]
        assert problems(b"nom;description\nUn;x\n")[0] == (1, "the header has no 'code' column.")

    def test_not_utf8_empty_and_no_items(self) -> None:
        assert "UTF-8" in problems("code;nom\nC1;Été\n".encode("latin-1"))[0][1]
        assert problems(b"\n\n")[0][0] == 1
        assert "no item" in problems(HEADER.encode() + b";Cercle 1;;;;1\n")[0][1]

    def test_forbidden_characters_are_refused(self) -> None:
        found = problems((HEADER + "C1;Orga\x01niser;;;;\n").encode())
        assert found[0][0] == 2
        assert "U+0001" in found[0][1]

    def test_an_explicit_level_row_names_the_level(self) -> None:
        text = HEADER + "C1;Organiser;;;;\nC1;Niveau A;Au 1;;;1\n;Cercle 1;;;;1\n"
        parsed = parse_csv(text.encode())
        assert parsed.levels[0].name == "Cercle 1"


FRAMEWORK: dict[str, Any] = {
    "slug": "savoir-etre",
    "name": "Savoir-être",
    "url": "https://example.org/savoir-etre",
    "levels": [{"level": 1, "name": "Débutant"}, {"level": 2, "name": "Confirmé"}],
    "items": [
        {"code": "S1", "name": "Ponctualité", "levels": [{"level": 2, "description": "Toujours"}]},
        {"code": "S2", "name": "Politesse", "translations": {"en": {"name": "Politeness"}}},
    ],
}


class TestJson:
    def test_a_whole_framework(self) -> None:
        framework = parse_json(json.dumps(FRAMEWORK).encode())
        assert framework.slug == "savoir-etre"
        assert framework.language == "fr"
        assert [level.name for level in framework.levels] == ["Débutant", "Confirmé"]
        assert framework.items[0].levels[0].description == "Toujours"
        assert framework.items[1].translations["en"].name == "Politeness"

    def test_every_bad_field_is_reported_with_its_path(self) -> None:
        document = {
            **FRAMEWORK,
            "slug": "Pas Un Slug",
            "levels": [{"level": 1, "name": "A"}, {"level": 1, "name": "B"}, {"level": 11}],
            "items": [
                {"code": "S1", "name": "Un", "levels": [{"level": 3, "description": "x"}]},
                {"code": "S1", "name": "Deux"},
                {"code": "", "name": 5},
            ],
        }
        with pytest.raises(FrameworkImportError) as raised:
            framework_from_mapping(document)
        where = {problem.where for problem in raised.value.problems}
        assert where >= {
            "slug",
            "levels[1].level",
            "levels[2].level",
            "levels[2].name",
            "items[0].levels[0].level",
            "items[1].code",
            "items[2].code",
            "items[2].name",
        }

    def test_not_json_and_not_an_object(self) -> None:
        with pytest.raises(FrameworkImportError, match="not UTF-8 JSON"):
            parse_json(b"{nope")
        with pytest.raises(FrameworkImportError, match="must be a JSON object"):
            parse_json(b"[1, 2]")


class TestBuiltIns:
    def test_rectec_as_decided(self) -> None:
        (rectec,) = load_builtins()
        assert rectec.slug == "rectec"
        assert [item.code for item in rectec.items] == [f"C{n}" for n in range(1, 13)]
        assert [level.number for level in rectec.levels] == [1, 2, 3, 4]
        assert rectec.levels[3].description == "Planifie et organise pour une équipe"
        groups = {item.group for item in rectec.items}
        assert len(groups) == 4
        assert all(not item.levels for item in rectec.items)  # descriptors left to importers
        assert rectec.items[0].name == "S'organiser dans son activité"
        assert rectec.items[11].translations["en"].name == (
            "Develop one's knowledge and ways of learning"
        )

    def test_ids_are_stable(self) -> None:
        # Published in alignments and badge classes: these values must never change.
        assert str(builtin_framework_id("rectec")) == "66c10451-0a7f-51b3-9bbb-24f607f9917a"
        assert str(builtin_item_id("rectec", "C3")) == "aba442f2-26c1-5bd1-9541-a38b98b7eaf5"
        assert builtin_item_id("rectec", "C3") != builtin_item_id("rectec", "C4")
