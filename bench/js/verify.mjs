// The digitalbazaar VC stack (eddsa-rdfc-2022 Data Integrity) and jose (VC-JWT) verifying
// badgeforge's OB 3.0 credentials end to end, timed for bench/bench_verify.py: like
// badgeforge's verifier there, every document (key, controller, status list credential)
// is fetched over HTTP from the local server each time; JSON-LD contexts come from the
// bundled security loader. The same checks as tests/oracles/vc_js/verify.mjs: the proof
// (or the JWS and its vc claims), then the Bitstring Status List entry (its credential
// verified, the bit read).
//
// Line-delimited JSON on stdin, one answer line per command on stdout:
//   {"op": "setup", "kinds": {name: [{"credential"} | {"jwt"} | {"png_b64"}]}}
//     -> {"valid": {name: bool}, "errors": {name: [...]}}: each kind's first input once
//   {"op": "round", "kind", "seconds"} -> {"count", "elapsed", "cpu"} (one at a time)
//   {"op": "quit"}
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {securityLoader} from '@digitalcredentials/security-document-loader';
import * as jose from 'jose';
import {createInterface} from 'node:readline';
import {gunzipSync, inflateSync} from 'node:zlib';

const bundled = securityLoader({fetchRemoteContexts: false}).build();

async function documentLoader(url) {
  try {
    return await bundled(url);  // the contexts
  } catch (error) {
    if (!/^https?:\/\//.test(url)) throw error;
  }
  const response = await fetch(url.split('#')[0], {headers: {accept: 'application/json'}});
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return {contextUrl: null, documentUrl: url, document: await response.json()};
}

const suite = () => new DataIntegrityProof({cryptosuite: eddsaRdfc2022});

async function checkStatus({credential}) {
  for (const entry of [].concat(credential.credentialStatus || [])) {
    if (entry.type !== 'BitstringStatusListEntry') {
      return {verified: false, error: new Error(`unsupported status type ${entry.type}`)};
    }
    const {document: list} = await documentLoader(entry.statusListCredential);
    const listResult = await vc.verifyCredential({credential: list, suite: suite(), documentLoader});
    if (!listResult.verified) {
      return {verified: false, error: new Error('the status list credential does not verify')};
    }
    const encoded = list.credentialSubject.encodedList;
    const bits = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
    const index = parseInt(entry.statusListIndex, 10);
    if ((bits[index >> 3] & (0x80 >> (index % 8))) !== 0) {
      return {verified: false, error: new Error('the credential is revoked')};
    }
  }
  return {verified: true};
}

function errorsOf(result) {
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

async function verifyDataIntegrity(credential) {
  const result = await vc.verifyCredential({credential, suite: suite(), documentLoader, checkStatus});
  return {verified: result.verified === true, errors: errorsOf(result)};
}

async function verifyJwt(token) {
  const header = jose.decodeProtectedHeader(token);
  const {document} = await documentLoader(header.kid);
  const key = await jose.importJWK(document.publicKeyJwk || document, header.alg);
  const {payload} = await jose.jwtVerify(token, key, {algorithms: ['RS256', 'ES256', 'EdDSA']});
  const credential = payload.vc || payload;
  const errors = [];
  const issuer = typeof credential.issuer === 'string' ? credential.issuer : credential.issuer.id;
  if (payload.iss !== issuer) errors.push('iss is not the issuer id');
  if (payload.jti !== credential.id) errors.push('jti is not the credential id');
  const status = await checkStatus({credential});
  if (!status.verified) errors.push(status.error.message);
  return {verified: errors.length === 0, errors};
}

// The credential baked in a PNG: its iTXt chunk "openbadgecredential" (OB 3.0 baking).
function unbake(png) {
  let offset = 8;
  while (offset + 8 <= png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'iTXt') {
      const keywordEnd = data.indexOf(0);
      if (data.toString('latin1', 0, keywordEnd) === 'openbadgecredential') {
        const compressed = data[keywordEnd + 1] === 1;
        const languageEnd = data.indexOf(0, keywordEnd + 3);
        const translatedEnd = data.indexOf(0, languageEnd + 1);
        const text = data.subarray(translatedEnd + 1);
        return (compressed ? inflateSync(text) : text).toString('utf8');
      }
    }
    offset += 12 + length;
  }
  throw new Error('no openbadgecredential chunk');
}

async function verifyInput(input) {
  if (input.jwt) return verifyJwt(input.jwt);
  if (input.credential) return verifyDataIntegrity(input.credential);
  const text = unbake(Buffer.from(input.png_b64, 'base64'));
  return text.startsWith('{') ? verifyDataIntegrity(JSON.parse(text)) : verifyJwt(text.trim());
}

let kinds = {};

async function setup(command) {
  kinds = command.kinds;
  const valid = {};
  const errors = {};
  for (const [name, inputs] of Object.entries(kinds)) {
    try {
      const result = await verifyInput(inputs[0]);
      valid[name] = result.verified;
      errors[name] = result.errors;
    } catch (error) {
      valid[name] = false;
      errors[name] = [String(error.message || error)];
    }
  }
  return {valid, errors};
}

async function round(command) {
  const inputs = kinds[command.kind];
  const started = performance.now();
  const cpu = process.cpuUsage();
  let count = 0;
  while (performance.now() - started < command.seconds * 1000) {
    await verifyInput(inputs[count % inputs.length]);
    count += 1;
  }
  const used = process.cpuUsage(cpu);
  return {count, elapsed: (performance.now() - started) / 1000, cpu: (used.user + used.system) / 1e6};
}

const lines = createInterface({input: process.stdin});
for await (const line of lines) {
  const command = JSON.parse(line);
  if (command.op === 'quit') break;
  let answer;
  try {
    answer = command.op === 'setup' ? await setup(command) : await round(command);
  } catch (error) {
    answer = {error: String(error.stack || error)};
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
}
