// The digitalbazaar VC stack (eddsa-rdfc-2022 Data Integrity) and jose (VC-JWT) verifying
// badgeforge's OB 3.0 credentials end to end, timed for bench/bench_verify.py: like
// badgeforge's verifier there, every document (key, controller, status list credential)
// is fetched over HTTP from the local server each time; JSON-LD contexts come from the
// bundled security loader. The checks are the oracle's (tests/oracles/vc_js/checks.mjs,
// copied in beside this file): the proof (or the JWS and its claims), then the Bitstring
// Status List entry (its credential verified, the bit read).
//
// Line-delimited JSON on stdin, one answer line per command on stdout:
//   {"op": "setup", "kinds": {name: [{"credential"} | {"jwt"} | {"png_b64"}]}}
//     -> {"valid": {name: bool}, "errors": {name: [...]}}: each kind's first input once
//   {"op": "round", "kind", "seconds"} -> {"count", "elapsed", "cpu"} (one at a time)
//   {"op": "quit"}
import {securityLoader} from '@digitalcredentials/security-document-loader';
import * as jose from 'jose';
import {inflateSync} from 'node:zlib';
import {checks} from './checks.mjs';
import {answer} from './protocol.mjs';

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

const {verifyDataIntegrity, verifyJwt: verifyJwtWith} = checks(documentLoader);

async function verifyJwt(token) {
  const {kid} = jose.decodeProtectedHeader(token);
  return verifyJwtWith(token, (await documentLoader(kid)).document);
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

await answer({setup, round});
