# ruff: noqa: RUF001 - French typography: apostrophes are intended
"""Every message a verification report can carry, in English and French.

A check names its message by a stable code (``status.revoked``); :func:`text` fills the
placeholders. Messages speak to the person holding the badge or checking it, in plain
words; technical details travel separately in ``Check.detail``.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Text:
    """One message in both languages."""

    en: str
    fr: str

    def get(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


_CATALOG: dict[str, tuple[str, str]] = {
    # verdicts
    "verdict.valid": ("This badge is genuine and in force.", "Ce badge est authentique et valide."),
    "verdict.invalid": (
        "This badge could not be verified: do not trust it.",
        "Ce badge n’a pas pu être vérifié : ne vous y fiez pas.",
    ),
    "verdict.revoked": (
        "This badge has been revoked by its issuer.",
        "Ce badge a été révoqué par son émetteur.",
    ),
    "verdict.suspended": (
        "This badge is suspended by its issuer.",
        "Ce badge est suspendu par son émetteur.",
    ),
    "verdict.expired": ("This badge has expired.", "Ce badge a expiré."),
    "verdict.not_yet_valid": ("This badge is not valid yet.", "Ce badge n’est pas encore valide."),
    # input
    "input.url": ("Read a link{container}.", "Lecture d’un lien{container}."),
    "input.json": ("Read a JSON document{container}.", "Lecture d’un document JSON{container}."),
    "input.jws": (
        "Read a signed token (JWS/JWT){container}.",
        "Lecture d’un jeton signé (JWS/JWT){container}.",
    ),
    "input.too_large": (
        "The file is too large to be a badge.",
        "Le fichier est trop volumineux pour être un badge.",
    ),
    "input.json_too_large": ("The JSON has too many values.", "Le JSON contient trop de valeurs."),
    "input.json_too_deep": (
        "The JSON is nested too deeply.",
        "Le JSON est imbriqué trop profondément.",
    ),
    "input.malformed_json": ("The JSON cannot be read.", "Le JSON est illisible."),
    "input.not_object": ("The JSON is not a badge object.", "Le JSON n’est pas un objet badge."),
    "input.empty": ("Nothing was given to verify.", "Rien n’a été fourni à vérifier."),
    "input.unrecognised": (
        "This is not a badge: give a link, JSON, a JWT, or a PNG or SVG image.",
        "Ce n’est pas un badge : donnez un lien, du JSON, un JWT, ou une image PNG ou SVG.",
    ),
    "input.not_baked": (
        "This image carries no readable Open Badge.",
        "Cette image ne contient pas d’Open Badge lisible.",
    ),
    "internal.error": (
        "The verifier could not process this input.",
        "Le vérificateur n’a pas pu traiter ce contenu.",
    ),
    # fetching
    "fetch.not_http": ("{url} is not a web address.", "{url} n’est pas une adresse web."),
    "fetch.offline": (
        "{url} could not be fetched: verification is offline.",
        "{url} n’a pas pu être récupéré : la vérification est hors ligne.",
    ),
    "fetch.budget": (
        "Too many documents to fetch; stopped at {url}.",
        "Trop de documents à récupérer ; arrêt à {url}.",
    ),
    "fetch.failed": ("{url} could not be reached.", "{url} est injoignable."),
    "fetch.too_large": ("{url} answered with too much data.", "{url} a renvoyé trop de données."),
    "fetch.status": (
        "{url} did not answer with the document.",
        "{url} n’a pas renvoyé le document.",
    ),
    "fetch.not_json": ("{url} did not answer with JSON.", "{url} n’a pas renvoyé de JSON."),
    # structure
    "structure.ob3": (
        "An Open Badges 3.0 credential (VC {version} model).",
        "Un justificatif Open Badges 3.0 (modèle VC {version}).",
    ),
    "structure.ob2": (
        "An Open Badges 2.0 badge with its badge class and issuer.",
        "Un badge Open Badges 2.0 avec sa classe de badge et son émetteur.",
    ),
    "structure.vc_model": (
        "The credential does not follow the Verifiable Credentials model.",
        "Le justificatif ne suit pas le modèle des Verifiable Credentials.",
    ),
    "structure.not_ob3": (
        "This credential is not an Open Badge.",
        "Ce justificatif n’est pas un Open Badge.",
    ),
    "structure.ob3_context": (
        "The Open Badges 3.0 context is missing.",
        "Le contexte Open Badges 3.0 est absent.",
    ),
    "structure.no_subject_id": (
        "The credential does not say who received it.",
        "Le justificatif n’indique pas qui l’a reçu.",
    ),
    "structure.unknown_context": (
        "The credential uses a context that is not known here (it is never fetched).",
        "Le justificatif utilise un contexte inconnu ici (il n’est jamais téléchargé).",
    ),
    "structure.jwt": ("The JWT cannot be read.", "Le JWT est illisible."),
    "structure.jwt_claims": (
        "The JWT claims contradict the credential.",
        "Les champs du JWT contredisent le justificatif.",
    ),
    "structure.ob2_assertion": (
        "This is not a valid Open Badges 2.0 assertion.",
        "Ce n’est pas une assertion Open Badges 2.0 valide.",
    ),
    "structure.ob2_missing": (
        "Required badge information is missing.",
        "Des informations obligatoires du badge manquent.",
    ),
    "structure.signed_needs_jws": (
        "A signed badge must be given as its signed form (JWS), not as plain JSON.",
        "Un badge signé doit être fourni sous sa forme signée (JWS), pas en JSON simple.",
    ),
    # schema
    "schema.valid": (
        "The credential matches the Open Badges 3.0 schema.",
        "Le justificatif respecte le schéma Open Badges 3.0.",
    ),
    "schema.invalid": (
        "The credential does not match the Open Badges 3.0 schema.",
        "Le justificatif ne respecte pas le schéma Open Badges 3.0.",
    ),
    "schema.not_bundled": (
        "The credential names a schema that is not known here.",
        "Le justificatif cite un schéma inconnu ici.",
    ),
    # key
    "key.issuer": (
        "The signing key belongs to the issuer.",
        "La clé de signature appartient à l’émetteur.",
    ),
    "key.unresolved": ("The signing key cannot be found.", "La clé de signature est introuvable."),
    "key.not_issuer": (
        "The signing key does not belong to the issuer {issuer}.",
        "La clé de signature n’appartient pas à l’émetteur {issuer}.",
    ),
    "key.wrong_type": (
        "The signing key is of the wrong type.",
        "La clé de signature n’est pas du bon type.",
    ),
    "key.no_kid": (
        "The JWT does not say which key signed it.",
        "Le JWT n’indique pas quelle clé l’a signé.",
    ),
    # proof
    "proof.embedded": (
        "The digital signature (Data Integrity) is valid.",
        "La signature numérique (Data Integrity) est valide.",
    ),
    "proof.jwt": (
        "The digital signature (VC-JWT) is valid.",
        "La signature numérique (VC-JWT) est valide.",
    ),
    "proof.jws": (
        "The digital signature (JWS) is valid.",
        "La signature numérique (JWS) est valide.",
    ),
    "proof.invalid": (
        "The digital signature does not match: the badge was altered or forged.",
        "La signature numérique ne correspond pas : le badge a été modifié ou falsifié.",
    ),
    "proof.missing": ("The credential is not signed.", "Le justificatif n’est pas signé."),
    "proof.malformed": ("The signature is malformed.", "La signature est mal formée."),
    "proof.unsupported": (
        "The signature type {suite} is not supported.",
        "Le type de signature {suite} n’est pas pris en charge.",
    ),
    "proof.expired": ("The signature has expired.", "La signature a expiré."),
    "proof.no_key": (
        "The signature was not checked: no key.",
        "La signature n’a pas été vérifiée : pas de clé.",
    ),
    "proof.jwt_algorithm": (
        "The JWT signature algorithm is refused.",
        "L’algorithme de signature du JWT est refusé.",
    ),
    # status
    "status.clear": (
        "The issuer has not revoked this badge.",
        "L’émetteur n’a pas révoqué ce badge.",
    ),
    "status.hosted_clear": (
        "The issuer still publishes this badge.",
        "L’émetteur publie toujours ce badge.",
    ),
    "status.revoked": ("The issuer has revoked this badge.", "L’émetteur a révoqué ce badge."),
    "status.gone": (
        "The issuer has withdrawn this badge (revoked).",
        "L’émetteur a retiré ce badge (révoqué).",
    ),
    "status.suspended": ("The issuer has suspended this badge.", "L’émetteur a suspendu ce badge."),
    "status.none": (
        "The issuer publishes no revocation list for it.",
        "L’émetteur ne publie pas de liste de révocation pour ce badge.",
    ),
    "status.unavailable": (
        "The revocation status could not be checked ({url}).",
        "Le statut de révocation n’a pas pu être vérifié ({url}).",
    ),
    "status.unsupported": (
        "This kind of revocation status is not supported.",
        "Ce type de statut de révocation n’est pas pris en charge.",
    ),
    "status.malformed": (
        "The revocation status is malformed.",
        "Le statut de révocation est mal formé.",
    ),
    "status.list_unverified": (
        "The revocation list is not authentic.",
        "La liste de révocation n’est pas authentique.",
    ),
    "status.list_issuer": (
        "The revocation list is not the issuer’s.",
        "La liste de révocation n’est pas celle de l’émetteur.",
    ),
    "status.list_expired": (
        "The revocation list is out of date.",
        "La liste de révocation est périmée.",
    ),
    # validity
    "validity.in_force": (
        "The badge is within its validity dates.",
        "Le badge est dans sa période de validité.",
    ),
    "validity.expired": ("The badge expired on {date}.", "Le badge a expiré le {date}."),
    "validity.not_yet_valid": (
        "The badge is valid only from {date}.",
        "Le badge n’est valide qu’à partir du {date}.",
    ),
    "validity.issued_in_future": (
        "The badge claims to be issued in the future ({date}).",
        "Le badge prétend être émis dans le futur ({date}).",
    ),
    "validity.malformed": (
        "The badge dates cannot be read.",
        "Les dates du badge sont illisibles.",
    ),
    # recipient
    "recipient.match": (
        "The badge was awarded to this email address.",
        "Le badge a été attribué à cette adresse e-mail.",
    ),
    "recipient.mismatch": (
        "The badge was not awarded to this email address.",
        "Le badge n’a pas été attribué à cette adresse e-mail.",
    ),
    "recipient.not_asked": (
        "No email address was given to compare.",
        "Aucune adresse e-mail n’a été donnée pour comparaison.",
    ),
    "recipient.not_email": (
        "The badge names its recipient otherwise than by email.",
        "Le badge désigne son titulaire autrement que par e-mail.",
    ),
    "recipient.none": (
        "The badge does not name its recipient.",
        "Le badge ne désigne pas son titulaire.",
    ),
    # endorsements
    "endorsements.none": ("No endorsement.", "Aucune recommandation."),
    "endorsements.valid": (
        "{count} endorsement(s), all verified.",
        "{count} recommandation(s), toutes vérifiées.",
    ),
    "endorsements.some_invalid": (
        "{count} of {total} endorsement(s) could not be verified.",
        "{count} recommandation(s) sur {total} n’ont pas pu être vérifiées.",
    ),
    # OB 2.0 hosted
    "hosted.answered": (
        "The issuer’s server serves this badge at {url}.",
        "Le serveur de l’émetteur publie ce badge à l’adresse {url}.",
    ),
    "hosted.no_id": (
        "The badge gives no address to check it.",
        "Le badge ne donne pas d’adresse pour le vérifier.",
    ),
    "hosted.id_mismatch": (
        "The hosted badge is not served at its own address.",
        "Le badge hébergé n’est pas publié à sa propre adresse.",
    ),
    "hosted.out_of_scope": (
        "The badge is hosted outside the issuer’s website.",
        "Le badge est hébergé hors du site de l’émetteur.",
    ),
}


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "-"


def codes() -> frozenset[str]:
    """Every message code."""
    return frozenset(_CATALOG)


def text(code: str, **values: Any) -> Text:
    """The message ``code`` with its placeholders filled (a missing one shows as ``-``)."""
    en, fr = _CATALOG.get(code, _CATALOG["internal.error"])
    filled = _Blank({key: str(value)[:300] for key, value in values.items()})
    return Text(en.format_map(filled), fr.format_map(filled))
