// Bundled in place of @aws-sdk/credential-provider-node (see esbuild.config.cjs). Lambda hands
// a function its role's credentials in the environment, so the SDK's full default chain
// (SSO, INI files, process, STS, IMDS: about 100 KB minified) is dead weight in the bundle
// and in every cold start. This is that chain cut down to its environment link.

import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider: typeof fromEnv = (init) => fromEnv(init);
