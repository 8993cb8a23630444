// Independent verifier for badgeforge's OB 3.0 credentials: the digitalbazaar VC stack
// (eddsa-rdfc-2022 Data Integrity) and jose (VC-JWT), offline; the checks are checks.mjs.
// stdin: {"credential": {...}} or {"jwt": "..."}, plus "documents": {url: JSON} that the
// document loader answers (key and controller documents, status list credentials, DID
// documents whose fragments it dereferences) before its bundled contexts; nothing is
// fetched over the network.
// stdout: {"verified": bool, "errors": [...], "revoked": bool|null}
import {securityLoader} from '@digitalcredentials/security-document-loader';
import * as jose from 'jose';
import {checks} from './checks.mjs';

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

const {state, verifyDataIntegrity, verifyJwt: verifyJwtWith} = checks(documentLoader);

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
  return verifyJwtWith(token, keyDocument);
}

let output;
try {
  output = input.jwt ? await verifyJwt(input.jwt) : await verifyDataIntegrity(input.credential);
} catch (error) {
  output = {verified: false, errors: [String(error.message || error)]};
}
output.revoked = state.revoked;
process.stdout.write(JSON.stringify(output));
