// Module resolution hook for the doorkit command: chevrotain's package entry
// (lib/src/api.js) is hundreds of small ES modules, about a second to load
// through tsx, while the same package ships the same code as one ES module
// bundle (lib/chevrotain.mjs) that loads in milliseconds. Only the command
// uses this; tests import the package entry as usual.
const bundles = new Map([["chevrotain", "../chevrotain.mjs"]]);

export async function resolve(specifier, context, nextResolve) {
  const entry = await nextResolve(specifier, context);
  const bundle = bundles.get(specifier);
  return bundle === undefined ? entry : { ...entry, url: new URL(bundle, entry.url).href };
}
