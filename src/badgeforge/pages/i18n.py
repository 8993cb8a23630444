# ruff: noqa: RUF001 - French typography: apostrophes and quotation marks are intended
"""French and English messages, and the choice of language for a request.

The language follows ``?lang=fr|en``, then the browser's ``Accept-Language`` (quality
values honoured), and is French when neither names French or English.
"""

from datetime import datetime
from typing import Literal

Language = Literal["fr", "en"]
LANGUAGES: tuple[Language, ...] = ("fr", "en")
DEFAULT: Language = "fr"
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}

_MONTHS = {
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}

MESSAGES: dict[str, dict[Language, str]] = {
    "colon": {"fr": "\u00a0:", "en": ":"},
    "site": {"fr": "Badges numériques", "en": "Digital badges"},
    "skip": {"fr": "Aller au contenu", "en": "Skip to content"},
    "language_nav": {"fr": "Langue", "en": "Language"},
    "footer": {
        "fr": "Open Badges 2.0 et 3.0, vérifiables par tous.",
        "en": "Open Badges 2.0 and 3.0, verifiable by anyone.",
    },
    "award_title": {"fr": "Badge « {name} »", "en": "Badge “{name}”"},
    "image_alt": {
        "fr": "Image du badge « {name} » délivré par {issuer}",
        "en": "Image of the badge “{name}” issued by {issuer}",
    },
    "issuer_logo_alt": {"fr": "Logo de {name}", "en": "Logo of {name}"},
    "awarded_to": {"fr": "Décerné à", "en": "Awarded to"},
    "masked": {"fr": "adresse e-mail masquée", "en": "email address hidden"},
    "issued_by": {"fr": "Délivré par", "en": "Issued by"},
    "issued_on": {"fr": "Délivré le", "en": "Issued on"},
    "expires_on": {"fr": "Expire le", "en": "Expires on"},
    "expired_on": {"fr": "A expiré le", "en": "Expired on"},
    "no_expiry": {"fr": "N’expire pas", "en": "Does not expire"},
    "revoked_on": {"fr": "Révoqué le", "en": "Revoked on"},
    "description": {"fr": "Description", "en": "Description"},
    "criteria": {"fr": "Critères d’obtention", "en": "Criteria"},
    "criteria_link": {"fr": "Critères détaillés", "en": "Detailed criteria"},
    "narrative": {"fr": "Observations", "en": "Narrative"},
    "evidence": {"fr": "Preuves", "en": "Evidence"},
    "alignments": {"fr": "Compétences visées", "en": "Alignments"},
    "framework": {"fr": "Référentiel", "en": "Framework"},
    "code": {"fr": "Code", "en": "Code"},
    "endorsements": {"fr": "Recommandations", "en": "Endorsements"},
    "tags": {"fr": "Mots-clés", "en": "Tags"},
    "verification": {"fr": "Vérification", "en": "Verification"},
    "verdict_valid": {
        "fr": "Badge authentique et valide",
        "en": "Genuine and valid badge",
    },
    "verdict_revoked": {
        "fr": "Badge révoqué : il n’est plus valide",
        "en": "Revoked badge: it is no longer valid",
    },
    "verdict_expired": {
        "fr": "Badge expiré : il n’est plus valide",
        "en": "Expired badge: it is no longer valid",
    },
    "verdict_suspended": {
        "fr": "Badge suspendu : il n’est pas valide pour l’instant",
        "en": "Suspended badge: it is not valid for now",
    },
    "verdict_not_yet_valid": {"fr": "Badge pas encore valide", "en": "Badge not valid yet"},
    "verdict_invalid": {
        "fr": "Badge non vérifié : ne vous y fiez pas",
        "en": "Badge not verified: do not trust it",
    },
    "status_passed": {"fr": "Réussi", "en": "Passed"},
    "status_failed": {"fr": "Échec", "en": "Failed"},
    "status_warning": {"fr": "Attention", "en": "Warning"},
    "status_skipped": {"fr": "Non vérifié", "en": "Not checked"},
    "check_input": {"fr": "Lecture", "en": "Input"},
    "check_structure": {"fr": "Structure", "en": "Structure"},
    "check_schema": {"fr": "Schéma Open Badges 3.0", "en": "Open Badges 3.0 schema"},
    "check_key": {"fr": "Clé de signature", "en": "Signing key"},
    "check_proof": {"fr": "Signature numérique", "en": "Digital signature"},
    "check_hosted": {"fr": "Publication par l’émetteur", "en": "Hosted by the issuer"},
    "check_status": {"fr": "Révocation", "en": "Revocation"},
    "check_validity": {"fr": "Dates de validité", "en": "Validity dates"},
    "check_expiry": {"fr": "Date d’expiration", "en": "Expiry date"},
    "check_recipient": {"fr": "Titulaire", "en": "Recipient"},
    "check_endorsements": {"fr": "Recommandations", "en": "Endorsements"},
    "check_detail": {"fr": "Détail technique", "en": "Technical detail"},
    "checks_of": {
        "fr": "Contrôles de l’attestation Open Badges 3.0 publiée à cette adresse\u00a0:",
        "en": "Checks of the Open Badges 3.0 credential published at this address:",
    },
    "format_checks": {"fr": "Contrôles : {name}", "en": "Checks: {name}"},
    "formats_title": {"fr": "Chaque format de ce badge", "en": "Every format of this badge"},
    "formats_intro": {
        "fr": "Le badge est publié en quatre formats, tous vérifiés de la même façon.",
        "en": "The badge is published in four formats, all verified the same way.",
    },
    "format_ob3": {
        "fr": "Open Badges 3.0, signature Data Integrity (eddsa-rdfc-2022)",
        "en": "Open Badges 3.0, Data Integrity signature (eddsa-rdfc-2022)",
    },
    "format_ob3_jwt": {
        "fr": "Open Badges 3.0, VC-JWT (RS256)",
        "en": "Open Badges 3.0, VC-JWT (RS256)",
    },
    "format_ob2": {"fr": "Open Badges 2.0 hébergé", "en": "Open Badges 2.0 hosted"},
    "format_ob2_signed": {
        "fr": "Open Badges 2.0 signé (JWS, RS256)",
        "en": "Open Badges 2.0 signed (JWS, RS256)",
    },
    "revoked": {
        "fr": "L’émetteur a révoqué ce badge le {date}.",
        "en": "The issuer revoked this badge on {date}.",
    },
    "revoked_reason": {"fr": "Motif : {reason}", "en": "Reason: {reason}"},
    "expired": {"fr": "Ce badge a expiré le {date}.", "en": "This badge expired on {date}."},
    "not_yet_valid": {
        "fr": "Ce badge est valide à partir du {date}.",
        "en": "This badge is valid from {date}.",
    },
    "checked_at": {"fr": "Vérifié le {date}.", "en": "Checked on {date}."},
    "downloads": {"fr": "Télécharger", "en": "Downloads"},
    "download_png": {
        "fr": "Image badgée PNG (Open Badges 2.0)",
        "en": "Baked PNG image (Open Badges 2.0)",
    },
    "download_svg": {
        "fr": "Image badgée SVG (Open Badges 2.0)",
        "en": "Baked SVG image (Open Badges 2.0)",
    },
    "download_ob2": {
        "fr": "Assertion Open Badges 2.0 (JSON)",
        "en": "Open Badges 2.0 assertion (JSON)",
    },
    "download_jws": {
        "fr": "Assertion signée Open Badges 2.0 (JWS)",
        "en": "Signed Open Badges 2.0 assertion (JWS)",
    },
    "download_ob3": {
        "fr": "Attestation Open Badges 3.0 (JSON)",
        "en": "Open Badges 3.0 credential (JSON)",
    },
    "download_jwt": {
        "fr": "Attestation Open Badges 3.0 (JWT)",
        "en": "Open Badges 3.0 credential (JWT)",
    },
    "download_ob3_png": {
        "fr": "Image badgée PNG (Open Badges 3.0)",
        "en": "Baked PNG image (Open Badges 3.0)",
    },
    "no_downloads": {
        "fr": "Ce badge n’est plus valide : il ne peut plus être téléchargé.",
        "en": "This badge is no longer valid: it can no longer be downloaded.",
    },
    "add_obp": {"fr": "Ajouter à Open Badge Passport", "en": "Add to Open Badge Passport"},
    "obp_step1": {
        "fr": "Dans votre compte Open Badge Passport, ajoutez et confirmez l’adresse e-mail "
        "à laquelle ce badge a été décerné.",
        "en": "In your Open Badge Passport account, add and confirm the email address this "
        "badge was awarded to.",
    },
    "obp_step2": {
        "fr": "Choisissez d’importer un badge, puis collez cette adresse\u00a0:",
        "en": "Choose to import a badge, then paste this address:",
    },
    "obp_step3": {
        "fr": "Ou bien téléchargez l’image badgée PNG ci-dessus et déposez-la dans l’import.",
        "en": "Or download the baked PNG image above and upload it in the import.",
    },
    "add_wallet": {"fr": "Ajouter à un portefeuille numérique", "en": "Add to a digital wallet"},
    "wallet_step1": {
        "fr": "Téléchargez l’attestation Open Badges 3.0 (JSON) ou l’image badgée PNG "
        "Open Badges 3.0.",
        "en": "Download the Open Badges 3.0 credential (JSON) or the Open Badges 3.0 baked "
        "PNG image.",
    },
    "wallet_step2": {
        "fr": "Importez le fichier dans un portefeuille qui accepte les attestations "
        "vérifiables Open Badges 3.0.",
        "en": "Import the file into a wallet that accepts Open Badges 3.0 verifiable credentials.",
    },
    "print": {"fr": "Version imprimable", "en": "Printable version"},
    "print_intro": {
        "fr": "Scannez ce code pour vérifier le badge en ligne :",
        "en": "Scan this code to verify the badge online:",
    },
    "qr_label": {"fr": "QR code vers {url}", "en": "QR code to {url}"},
    "back_to_award": {"fr": "Retour au badge", "en": "Back to the badge"},
    "badge_class_title": {"fr": "Badge « {name} »", "en": "Badge “{name}”"},
    "expires_after": {
        "fr": "Valable {days} jours après l’obtention.",
        "en": "Valid for {days} days after it is awarded.",
    },
    "issuer_title": {"fr": "Émetteur : {name}", "en": "Issuer: {name}"},
    "website": {"fr": "Site web", "en": "Website"},
    "contact": {"fr": "Contact", "en": "Contact"},
    "issuer_badges": {"fr": "Badges délivrés", "en": "Badges issued"},
    "no_badges": {"fr": "Aucun badge pour l’instant.", "en": "No badges yet."},
    "not_found_title": {"fr": "Page introuvable", "en": "Page not found"},
    "not_found": {
        "fr": "Aucun badge, émetteur ou badge à cette adresse. Vérifiez le lien reçu.",
        "en": "There is no badge or issuer at this address. Check the link you received.",
    },
    "verify_title": {"fr": "Vérifier un badge", "en": "Verify a badge"},
    "verify_intro": {
        "fr": "Déposez une image badgée (PNG ou SVG), un fichier JSON ou un JWT, ou collez "
        "l’adresse d’un badge.",
        "en": "Upload a baked image (PNG or SVG), a JSON file or a JWT, or paste the address "
        "of a badge.",
    },
    "verify_file": {"fr": "Fichier du badge", "en": "Badge file"},
    "verify_url": {"fr": "Adresse du badge (lien)", "en": "Badge address (link)"},
    "verify_recipient": {
        "fr": "Adresse e-mail du titulaire (facultatif)",
        "en": "Holder’s email address (optional)",
    },
    "verify_recipient_hint": {
        "fr": "Pour vérifier que le badge a bien été décerné à cette adresse.",
        "en": "To check that the badge was awarded to this address.",
    },
    "verify_submit": {"fr": "Vérifier", "en": "Verify"},
    "verify_result": {"fr": "Résultat", "en": "Result"},
    "verify_verified": {"fr": "Badge vérifié", "en": "Badge verified"},
    "verify_not_verified": {"fr": "Badge non vérifié", "en": "Badge not verified"},
    "badge_facts": {"fr": "Ce que dit le badge", "en": "What the badge says"},
    "name": {"fr": "Nom", "en": "Name"},
    "recipient": {"fr": "Titulaire", "en": "Recipient"},
    "audience": {"fr": "Pour qui ?", "en": "Who is it for?"},
    "evidence_expectations": {"fr": "Preuves possibles", "en": "Possible evidence"},
    "endorsement_expectations": {"fr": "Qui peut recommander ?", "en": "Who can endorse it?"},
    "levels": {"fr": "Niveaux de maîtrise", "en": "Levels of mastery"},
    "level_reached": {"fr": "Niveau atteint", "en": "Level reached"},
    "level_reached_mark": {"fr": "niveau atteint", "en": "level reached"},
    "level_of": {"fr": "niveau {number} sur {total}", "en": "level {number} of {total}"},
    "easy_read_link": {
        "fr": "Version facile à lire",
        "en": "Easy-to-read version (in French)",
    },
    "full_version_link": {"fr": "Version complète", "en": "Full version"},
}


def negotiate(query: str | None, accept_language: str | None) -> Language:
    """``query`` when it names a language, else the best of ``Accept-Language``, else French."""
    if query in LANGUAGES:
        return query
    best: tuple[float, int, Language] | None = None
    for position, item in enumerate((accept_language or "").split(",")[:32]):
        tag, *parameters = (part.strip() for part in item.split(";"))
        primary = tag.split("-")[0].lower()
        if primary not in LANGUAGES:
            continue
        quality = _quality(parameters)
        candidate = (quality, -position, primary)
        if quality > 0 and (best is None or candidate > best):
            best = candidate
    return best[2] if best is not None else DEFAULT


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


def translate(language: Language, key: str, **values: object) -> str:
    """The message ``key`` in ``language`` with ``{placeholders}`` filled in."""
    message = MESSAGES[key][language]
    return message.format(**values) if values else message


def format_date(language: Language, moment: datetime) -> str:
    """A date people read: ``1er décembre 2026`` / ``1 December 2026`` (UTC)."""
    day = "1er" if language == "fr" and moment.day == 1 else str(moment.day)
    return f"{day} {_MONTHS[language][moment.month - 1]} {moment.year}"
