// The one set of bundle options, used by serverless-esbuild (custom.esbuild.config) and by
// scripts/build.ts, so the benchmarked bundle is the deployed one.
const path = require('node:path');

/** Only the environment link of the SDK's credential chain: all a Lambda function needs. */
const lambdaCredentials = {
  '@aws-sdk/credential-provider-node': path.join(__dirname, 'shims/env-credentials.ts'),
};

/** The SDK endpoint cache's LRU, in a few lines (shims/lru-cache.ts) instead of mnemonist's. */
const smallLru = { 'mnemonist/lru-cache': path.join(__dirname, 'shims/lru-cache.ts') };

/**
 * The SDK's protocols import the event-stream codec lazily, for operations that stream
 * events. A client that streams imports it statically and keeps it; for the others the lazy
 * import would only ever be bundled, never run.
 */
const noLazyEventStreams = {
  name: 'no-lazy-event-streams',
  setup(build) {
    build.onResolve({ filter: /^@smithy\/core\/event-streams$/ }, ({ kind }) =>
      kind === 'dynamic-import' ? { path: path.join(__dirname, 'shims/no-event-streams.ts') } : undefined,
    );
  },
};

/** The SDK's JavaScript SHA-256, a fallback for a node:crypto without sha256: not on Lambda. */
const noJsSha256 = {
  name: 'no-js-sha256',
  setup(build) {
    build.onResolve({ filter: /[\\/]Sha256Js$/ }, ({ importer }) =>
      /@smithy[\\/]core[\\/]/.test(importer)
        ? { path: path.join(__dirname, 'shims/no-js-sha256.ts') }
        : undefined,
    );
  },
};

/** The SDK's region lookup from EC2 instance metadata: never asked where the region is given. */
const noImdsRegion = {
  name: 'no-imds-region',
  setup(build) {
    build.onResolve({ filter: /[\\/]getInstanceMetadataRegion$/ }, ({ importer }) =>
      /@smithy[\\/]core[\\/]/.test(importer)
        ? { path: path.join(__dirname, 'shims/no-imds-region.ts') }
        : undefined,
    );
  },
};

/** The SDK clients import their whole package.json for one field: keep name and version. */
const manifestVersionOnly = {
  name: 'manifest-version-only',
  setup(build) {
    build.onLoad(
      { filter: /node_modules[\\/]@aws-sdk[\\/][^\\/]+[\\/]package\.json$/ },
      async ({ path: file }) => {
        const { name, version } = JSON.parse(await require('node:fs/promises').readFile(file, 'utf8'));
        return { contents: JSON.stringify({ name, version }), loader: 'json' };
      },
    );
  },
};

const options = {
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  mainFields: ['module', 'main'],
  // Beside the bundle, read only when a stack is written (lib/observability/stack-trace.ts): readable 5xx logs at no
  // cold-start cost. Without sources: the map only has to name files and lines.
  sourcemap: 'external',
  sourcesContent: false,
  legalComments: 'none',
  charset: 'utf8',
  alias: { ...lambdaCredentials, ...smallLru },
  plugins: [noLazyEventStreams, noJsSha256, noImdsRegion, manifestVersionOnly],
};

module.exports = (serverless) => {
  // The API page's files are built with the bundles (scripts/api-doc.ts: hashed names,
  // compressed copies), so that a package, a deployment and serverless offline serve what
  // the sources hold now. Quick when nothing changed: compressed copies are cached.
  const apiDoc = require('node:child_process').spawnSync(
    process.execPath,
    [path.join(__dirname, 'scripts/api-doc.ts')],
    { cwd: __dirname, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (apiDoc.status !== 0) throw new Error('scripts/api-doc.ts failed: the API page was not built');

  // serverless offline runs on a developer's machine, where credentials may come from a
  // profile: keep the SDK's whole chain there.
  const offline = serverless?.processedInput?.commands?.[0] === 'offline';
  return {
    ...options,
    ...(offline ? { alias: smallLru } : {}),
    // serverless-esbuild's own options: bundle everything, the SDK included (smaller and
    // faster to load than the runtime's copy), as .mjs so Lambda loads it as ESM.
    exclude: [],
    outputFileExtension: '.mjs',
    // serverless offline (`npm start`) and packaging each build in a folder of their own:
    // packaging deletes its folder when done, which must not take the running functions with
    // it. Tests that build side by side (a stack, a package) each take one of their own too.
    outputWorkFolder: process.env.ESBUILD_WORK_FOLDER || (offline ? '.esbuild-offline' : '.esbuild'),
    // No watcher: serverless offline runs the functions in process (serverless.yml), where
    // a handler, once imported, stays as it was (Node caches an ES module for the process's
    // life), so a rebuild on change would never be served; and its default watch (every .js
    // and .ts below the checkout but four folders) rebuilt everything on each file another
    // command wrote, test/artifacts/ and other build folders included. After an edit,
    // restart `npm start`. No patterns, and nothing ever matched: the package patterns of
    // serverless.yml, which serverless-esbuild adds to the watch, are ignored as well.
    watch: { pattern: [], ignore: [], chokidar: { ignored: () => true, ignoreInitial: true } },
  };
};
module.exports.options = options;
