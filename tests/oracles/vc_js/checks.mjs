// The checks of the digitalbazaar VC oracle, for a document loader given by the caller:
// Data Integrity (eddsa-rdfc-2022) with @digitalbazaar/vc, VC-JWT with jose, and the
// credential's status (Bitstring Status List, whose own credential is verified, or a
// 1EdTech Revocation List). Used by verify.mjs (offline, documents given) and by
// bench/js/verify.mjs (documents fetched from a local server).
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as jose from 'jose';
import {gunzipSync} from 'node:zlib';

export function errorsOf(result) {
  const errors = [];
  if (result.error) errors.push(String(result.error.message || result.error));
  for (const item of result.results || []) {
    if (item.error) errors.push(String(item.error.message || item.error));
  }
  if (result.statusResult && result.statusResult.error) {
    errors.push(String(result.statusResult.error.message || result.statusResult.error));
  }
  return errors;
}

function decodeBitstring(encodedList) {
  if (!encodedList.startsWith('u')) throw new Error('encodedList is not multibase base64url');
  return gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
}

// The checks, with `documentLoader`; `state.revoked` tells what the last status check saw.
export function checks(documentLoader) {
  const state = {revoked: null};
  const suite = () => new DataIntegrityProof({cryptosuite: eddsaRdfc2022});

  async function checkStatus({credential}) {
    for (const entry of [].concat(credential.credentialStatus || [])) {
      if (entry.type === '1EdTechRevocationList') {
        // 1EdTech Revocation List: revoked when the list names this credential's id
        const {document: list} = await documentLoader(entry.id);
        const listed = [].concat(list.revokedCredential || [])
          .some(item => item.id === credential.id && item.revoked !== false);
        state.revoked = listed;
        if (listed) return {verified: false, error: new Error('the credential is revoked')};
        continue;
      }
      if (entry.type !== 'BitstringStatusListEntry') {
        return {verified: false, error: new Error(`unsupported status type ${entry.type}`)};
      }
      const {document: listCredential} = await documentLoader(entry.statusListCredential);
      const listResult = await vc.verifyCredential({
        credential: listCredential, suite: suite(), documentLoader,
      });
      if (!listResult.verified) {
        return {verified: false, error: new Error('the status list credential does not verify')};
      }
      const bits = decodeBitstring(listCredential.credentialSubject.encodedList);
      if (bits.length < 16384) throw new Error('status list shorter than 131072 entries');
      const index = parseInt(entry.statusListIndex, 10);
      const set = (bits[index >> 3] & (0x80 >> (index % 8))) !== 0;
      if (entry.statusPurpose === 'revocation') state.revoked = set;
      if (set) return {verified: false, error: new Error('the credential is revoked')};
    }
    return {verified: true};
  }

  async function verifyDataIntegrity(credential) {
    const result = await vc.verifyCredential({
      credential, suite: suite(), documentLoader, checkStatus,
    });
    return {verified: result.verified === true, errors: errorsOf(result)};
  }

  // `keyDocument`: a bare JWK (https key URL) or a JsonWebKey verification method (did:web)
  async function verifyJwt(token, keyDocument) {
    const header = jose.decodeProtectedHeader(token);
    const key = await jose.importJWK(keyDocument.publicKeyJwk || keyDocument, header.alg);
    try {
      const {payload} = await jose.jwtVerify(token, key, {algorithms: ['RS256', 'ES256', 'EdDSA']});
      const credential = payload.vc || payload;
      const errors = [];
      const issuer = typeof credential.issuer === 'string' ? credential.issuer : credential.issuer.id;
      if (payload.iss !== issuer) errors.push('iss is not the issuer id');
      if (payload.jti !== credential.id) errors.push('jti is not the credential id');
      const nbf = Math.floor(Date.parse(credential.validFrom || credential.issuanceDate) / 1000);
      if (payload.nbf !== nbf) errors.push('nbf is not validFrom');
      if (credential.credentialStatus) {
        const status = await checkStatus({credential});
        if (!status.verified) errors.push(status.error.message);
      }
      return {verified: errors.length === 0, errors};
    } catch (error) {
      return {verified: false, errors: [String(error.message || error)]};
    }
  }

  return {state, checkStatus, verifyDataIntegrity, verifyJwt};
}
