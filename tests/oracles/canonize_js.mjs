// RDFC-1.0 by the digitalbazaar stack, as the eddsa-rdfc-2022 cryptosuite runs it:
// jsonld.toRDF (safe mode, rdfDirection i18n-datatype) then rdf-canonize (default work
// bound). Offline: contexts come from the "contexts" given. Used by test_canonical_js.py.
// stdin: {"contexts": {url: context}, "documents": [...], "datasets": ["n-quads", ...]}
// stdout: {"documents": [{"nquads"} | {"error"}], "datasets": [...]}
import jsonld from 'jsonld';
import * as rdfCanonize from 'rdf-canonize';

const input = JSON.parse(await new Promise(resolve => {
  let text = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', chunk => { text += chunk; });
  process.stdin.on('end', () => resolve(text));
}));

async function documentLoader(url) {
  if (url in input.contexts) {
    return {contextUrl: null, documentUrl: url, document: input.contexts[url]};
  }
  throw new Error(`context ${url} is not bundled`);
}

async function attempt(work) {
  try {
    return {nquads: await work()};
  } catch (error) {
    return {error: String(error.message || error)};
  }
}

const options = {algorithm: 'RDFC-1.0', base: null, safe: true, documentLoader};
const documents = [];
for (const document of input.documents) {
  documents.push(await attempt(async () => {
    const dataset = await jsonld.toRDF(document, {
      ...options, rdfDirection: 'i18n-datatype', produceGeneralizedRdf: false,
    });
    return rdfCanonize.canonize(dataset, options);
  }));
}
const datasets = [];
for (const nquads of input.datasets) {
  datasets.push(await attempt(() => rdfCanonize.canonize(
    nquads, {algorithm: 'RDFC-1.0', inputFormat: 'application/n-quads'})));
}
process.stdout.write(JSON.stringify({documents, datasets}));
