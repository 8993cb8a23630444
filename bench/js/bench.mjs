// The digitalbazaar VC stack signing and verifying eddsa-rdfc-2022 credentials, timed for
// bench/bench_signing.py. Same packages as tests/oracles/vc_js; offline document loader (the
// key and controller documents given, then the contexts the packages bundle).
//
// Line-delimited JSON on stdin, one answer line per command on stdout:
//   {"op": "setup", "credential", "seedHex", "methodId", "created", "documents", "foreign"}
//     -> {"signed", "verified", "foreignVerified", "errors"}: signs and verifies once, and
//        verifies `foreign` (the same credential signed by badgeforge with the same key)
//   {"op": "round", "what": "sign" | "verify", "seconds"} -> {"count", "elapsed"}
//   {"op": "quit"}
import * as vc from '@digitalbazaar/vc';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {securityLoader} from '@digitalcredentials/security-document-loader';
import {errorsOf} from './checks.mjs';
import {answer} from './protocol.mjs';

const base = securityLoader({fetchRemoteContexts: false}).build();
let state = null;

function loaderFor(documents) {
  return async url => {
    for (const candidate of [url, url.split('#')[0]]) {
      if (candidate in documents) {
        return {contextUrl: null, documentUrl: url, document: documents[candidate]};
      }
    }
    return base(url);
  };
}

// Credential status is not what is measured (badgeforge's verify_proof does not fetch it).
const checkStatus = async () => ({verified: true});

async function sign() {
  const suite = new DataIntegrityProof({signer: state.signer, date: state.created, cryptosuite});
  return vc.issue({
    credential: structuredClone(state.credential), suite, documentLoader: state.loader,
  });
}

async function verify(credential) {
  const suite = new DataIntegrityProof({cryptosuite});
  return vc.verifyCredential({credential, suite, documentLoader: state.loader, checkStatus});
}

async function setup(command) {
  const seed = Uint8Array.from(Buffer.from(command.seedHex, 'hex'));
  const controller = command.methodId.split('#')[0];
  const keyPair = await Ed25519Multikey.generate({id: command.methodId, controller, seed});
  state = {
    credential: command.credential,
    created: command.created,
    signer: keyPair.signer(),
    loader: loaderFor(command.documents),
  };
  state.signed = await sign();
  const own = await verify(state.signed);
  const foreign = await verify(command.foreign);
  return {
    signed: state.signed,
    verified: own.verified === true,
    foreignVerified: foreign.verified === true,
    errors: [...errorsOf(own), ...errorsOf(foreign)],
  };
}

async function round({what, seconds}) {
  const operation = what === 'sign' ? sign : () => verify(state.signed);
  const limit = seconds * 1000;
  const start = performance.now();
  let count = 0;
  let elapsed = 0;
  do {
    await operation();
    count += 1;
    elapsed = performance.now() - start;
  } while (elapsed < limit);
  return {count, elapsed: elapsed / 1000};
}

await answer({setup, round});
