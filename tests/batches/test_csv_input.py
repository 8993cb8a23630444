"""Reading recipients from spreadsheet CSV exports: delimiters, BOM, French headers, lines."""

import pytest

from badgeforge.batches.csv_input import header_key, parse_csv, spreadsheet_date
from badgeforge.problems import UnprocessableContent

FRENCH = (
    "Nom;Courriel;Récit;Preuve URL;Date d'obtention\r\n"
    "Martin;camille@example.org;Atelier bois;https://portfolio.example.org/c;26/11/2026\r\n"
    ";;;;\r\n"
    'Durand;louis@example.org;"Sur deux\nlignes";;2026-11-20\r\n'
    "Petit;lea@example.org;;;\r\n"
)


class TestDelimitersAndEncoding:
    @pytest.mark.parametrize("delimiter", [";", ",", "\t"])
    def test_delimiter_is_sniffed(self, delimiter: str) -> None:
        text = f"email{delimiter}narrative\na@example.org{delimiter}Bravo, vraiment\n"
        text = text.replace("Bravo, vraiment", '"Bravo, vraiment"')
        parsed = parse_csv(text.encode())
        assert [r.data for r in parsed.records] == [
            {"recipient_email": "a@example.org", "narrative": "Bravo, vraiment"}
        ]

    def test_byte_order_mark_is_dropped(self) -> None:
        parsed = parse_csv("\ufeffcourriel\na@example.org\n".encode())
        assert parsed.records[0].data == {"recipient_email": "a@example.org"}
        assert parsed.labels == {"recipient_email": "courriel"}

    def test_latin1_is_refused_with_advice(self) -> None:
        with pytest.raises(UnprocessableContent, match="CSV UTF-8"):
            parse_csv("courriel;récit\na@example.org;été\n".encode("cp1252"))


class TestFrenchExport:
    def test_fields_dates_and_line_numbers(self) -> None:
        parsed = parse_csv(FRENCH.encode())
        assert [r.line for r in parsed.records] == [2, 4, 6]  # blank line 3 skipped
        first, second, third = (r.data for r in parsed.records)
        assert first == {
            "recipient_email": "camille@example.org",
            "narrative": "Atelier bois",
            "issued_on": "2026-11-26T00:00:00Z",
            "evidence": [{"url": "https://portfolio.example.org/c"}],
        }
        assert second["narrative"] == "Sur deux\nlignes"
        assert second["issued_on"] == "2026-11-20T00:00:00Z"
        assert third == {"recipient_email": "lea@example.org"}
        assert parsed.labels["issued_on"] == "Date d'obtention"

    def test_header_keys(self) -> None:
        assert header_key(" Adresse E-mail ") == "adresse_e_mail"
        assert header_key("Récit") == "recit"

    def test_dates(self) -> None:
        assert spreadsheet_date("1/2/2026") == "2026-02-01T00:00:00Z"
        assert spreadsheet_date("2026-11-26T10:00:00+01:00") == "2026-11-26T10:00:00+01:00"


class TestBadFiles:
    def test_no_email_column(self) -> None:
        with pytest.raises(UnprocessableContent, match=r"no email column.*'nom'"):
            parse_csv(b"nom;prenom\nMartin;Camille\n")

    def test_two_email_columns(self) -> None:
        with pytest.raises(UnprocessableContent, match="Two columns"):
            parse_csv(b"email;courriel\na@example.org;b@example.org\n")

    def test_empty(self) -> None:
        with pytest.raises(UnprocessableContent, match="empty"):
            parse_csv(b"")

    def test_bad_rows_are_reported_by_line(self) -> None:
        parsed = parse_csv(b"email;narrative\n;sans adresse\na@example.org;x;extra\n")
        assert [(r.line, r.error) for r in parsed.records] == [
            (2, "The email is missing."),
            (3, "3 cells, but the header has 2 columns."),
        ]

    def test_nul_reaches_validation(self) -> None:
        parsed = parse_csv(b"email\na\x00b@example.org\n")
        assert parsed.records[0].data["recipient_email"] == "a\x00b@example.org"
