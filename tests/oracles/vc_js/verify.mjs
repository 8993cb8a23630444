// Independent verifier for badgeforge's OB 3.0 credentials: the digitalbazaar VC stack
// (eddsa-rdfc-2022 Data Integrity) and jose (VC-JWT), offline.
// stdin: {"credential": {...}} or {"jwt": "..."}, plus "documents": {url: JSON} that the
// document loader answers (key and controller documents, status list credentials, DID
// documents whose fragments it dereferences) before its bundled contexts; nothing is
// fetched over the network.
// stdout: {"verified": bool, "errors": [...], "revoked": bool|null}
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {securityLoader} from '@digitalcredentials/security-document-loader';
import * as jose from 'jose';
import {gunzipSync} from 'node:zlib';

const input = JSON.parse(await new Promise(resolve => {
  let text = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', chunk => { text += chunk; });
  process.stdin.on('end', () => resolve(text));
}));
const documents = input.documents || {};
const base = securityLoader({fetchRemoteContexts: false}).build();

// A fragment of a controller or DID document given in `documents` (did:web#key-1) resolves
// to the matching verificationMethod, with the document's @context, as a DID resolver
// dereferences it; a fragment missing from that document is an error.
function dereference(url, controller) {
  const methods = [].concat(controller.verificationMethod || []);
  const fragment = url.slice(url.indexOf('#'));
  const method = methods.find(item => item.id === url || item.id === fragment);
  if (!method) throw new Error(`${url} is not a verification method of its document`);
  return {'@context': controller['@context'], ...method};
}

async function documentLoader(url) {
  if (url in documents) {
    return {contextUrl: null, documentUrl: url, document: documents[url]};
  }
  const withoutFragment = url.split('#')[0];
  if (withoutFragment in documents) {
    const found = documents[withoutFragment];
    const document = url.includes('#') && found && found.verificationMethod ?
      dereference(url, found) : found;
    return {contextUrl: null, documentUrl: url, document};
  }
  return base(url);
}

function suite() {
  return new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
}

function decodeBitstring(encodedList) {
  if (!encodedList.startsWith('u')) throw new Error('encodedList is not multibase base64url');
  return gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
}

let revoked = null;

async function checkStatus({credential}) {
  const entries = [].concat(credential.credentialStatus || []);
  for (const entry of entries) {
    if (entry.type === '1EdTechRevocationList') {
      // 1EdTech Revocation List: revoked when the list names this credential's id
      const {document: list} = await documentLoader(entry.id);
      const listed = [].concat(list.revokedCredential || [])
        .some(item => item.id === credential.id && item.revoked !== false);
      revoked = listed;
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
    if (entry.statusPurpose === 'revocation') revoked = set;
    if (set) return {verified: false, error: new Error('the credential is revoked')};
  }
  return {verified: true};
}

async function verifyDataIntegrity(credential) {
  const result = await vc.verifyCredential({
    credential, suite: suite(), documentLoader, checkStatus,
  });
  const errors = [];
  if (result.error) errors.push(String(result.error.message || result.error));
  for (const item of result.results || []) {
    if (item.error) errors.push(String(item.error.message || item.error));
  }
  if (result.statusResult && result.statusResult.error) {
    errors.push(String(result.statusResult.error.message || result.statusResult.error));
  }
  return {verified: result.verified === true, errors};
}

async function verifyJwt(token) {
  const header = jose.decodeProtectedHeader(token);
  let keyDocument;
  try {
    keyDocument = header.kid && (await documentLoader(header.kid)).document;
  } catch (error) {
    keyDocument = null;
  }
  if (!keyDocument || !(header.kid in documents || header.kid.split('#')[0] in documents)) {
    return {verified: false, errors: [`no key document for kid ${header.kid}`]};
  }
  // a bare JWK (https key URL) or a JsonWebKey verification method (did:web fragment)
  const jwk = keyDocument.publicKeyJwk || keyDocument;
  const key = await jose.importJWK(jwk, header.alg);
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

let output;
try {
  output = input.jwt ? await verifyJwt(input.jwt) : await verifyDataIntegrity(input.credential);
} catch (error) {
  output = {verified: false, errors: [String(error.message || error)]};
}
output.revoked = revoked;
process.stdout.write(JSON.stringify(output));
