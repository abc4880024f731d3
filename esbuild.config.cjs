// The one set of bundle options, used by serverless-esbuild (custom.esbuild.config) and by
// scripts/build.ts, so the benchmarked bundle is the deployed one.
const options = {
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  mainFields: ['module', 'main'],
  sourcemap: false,
  legalComments: 'none',
  // CommonJS code inside an ESM bundle may still call require() for Node built-ins.
  banner: {
    js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
  },
};

module.exports = () => ({
  ...options,
  // serverless-esbuild's own options: bundle everything, the SDK included (smaller and
  // faster to load than the runtime's copy), as .mjs so Lambda loads it as ESM.
  exclude: [],
  outputFileExtension: '.mjs',
  // Tests that build side by side (a stack, a package) each take a folder of their own.
  outputWorkFolder: process.env.ESBUILD_WORK_FOLDER || '.esbuild',
});
module.exports.options = options;
