// Bundled in place of the SDK's pure-JavaScript SHA-256 (see esbuild.config.cjs). The SDK
// takes it only where node:crypto has no sha256, which no Lambda runtime lacks, so its
// 3 KB would only ever be bundled, never run.

export class Sha256Js {
  constructor() {
    throw new Error('node:crypto has no sha256 here, and the JavaScript fallback is not bundled');
  }
}
