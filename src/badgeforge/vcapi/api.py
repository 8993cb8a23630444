"""HTTP API: the W3C CCG Verifiable Credentials API (``/credentials/issue``, ``/verify``)."""

from fastapi import APIRouter, status

from badgeforge.db import SessionDep, utcnow
from badgeforge.deps import VaultDep
from badgeforge.problems import (
    Forbidden,
    NotFound,
    TooManyRequests,
    Unauthorized,
    VerificationFailed,
    problem_responses,
)
from badgeforge.public.links import LinksDep
from badgeforge.ratelimit import VerifyRateLimit
from badgeforge.security import IssueAccess
from badgeforge.vcapi import service
from badgeforge.vcapi.schemas import (
    IssueRequest,
    IssueResponse,
    VerificationResult,
    VerifyRequest,
)

router = APIRouter(prefix="/credentials", tags=["vc-api"])


@router.post(
    "/issue",
    status_code=status.HTTP_201_CREATED,
    summary="Issue a credential (VC-API)",
    responses=problem_responses(Unauthorized, Forbidden, NotFound),
)
def issue_credential(
    body: IssueRequest,
    session: SessionDep,
    principal: IssueAccess,
    links: LinksDep,
    vault: VaultDep,
) -> IssueResponse:
    """Sign any W3C Verifiable Credential (VC 1.1 or 2.0) with an `eddsa-rdfc-2022` Data
    Integrity proof by one of your issuers (`options.issuerId`, or your only issuer).

    The credential's `issuer` becomes the issuer's identifier (URL, `did:web` or `did:key`,
    as the issuer is configured); a VC 1.1 credential gets the Data Integrity context (and
    `issuanceDate` if it has none). A term the contexts do not define, a missing
    `credentialSubject` or any other data model error answers 422. Needs the `issue` scope.
    """
    issuer = service.choose_issuer(session, principal, body.options.issuer_id)
    signed = service.issue(session, vault, links, issuer, body.credential)
    return IssueResponse(verifiableCredential=signed)


@router.post(
    "/verify",
    summary="Verify a credential (VC-API)",
    responses=problem_responses(VerificationFailed, TooManyRequests),
)
def verify_credential(
    body: VerifyRequest, session: SessionDep, links: LinksDep, _quota: VerifyRateLimit
) -> VerificationResult:
    """Verify a credential with an `eddsa-rdfc-2022` Data Integrity proof, or a VC-JWT.

    Keys are resolved offline: `did:key` methods, and keys of this service's issuers (key
    URL or `did:web`). The key's controller must be the credential's issuer; validity dates
    and this service's status lists are checked. 200 only when verified; otherwise 422
    with the same `checks`, `warnings` and `errors`. No API key needed; rate limited per
    client address (`BADGEFORGE_RATE_LIMIT_VERIFY`), or per API key when one is sent
    (`BADGEFORGE_RATE_LIMIT_VERIFY_WITH_KEY`): 429 with `Retry-After` past the quota.
    """
    report = service.verify(session, links, body.verifiableCredential, body.options, utcnow())
    result = VerificationResult.of(report)
    if not result.verified:
        first = result.errors[0].detail if result.errors else "nothing could be checked"
        raise VerificationFailed(
            f"The credential does not verify: {first}",
            **result.model_dump(),
        )
    return result
