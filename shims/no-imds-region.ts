// Bundled in place of the SDK's region lookup from EC2 instance metadata (see esbuild.config.cjs).
// Lambda sets AWS_REGION and every function passes its region to its clients (lib/config.ts),
// so the SDK never asks IMDS, which Lambda does not offer: its 1.2 KB would only be bundled.

export const getInstanceMetadataRegion = async (): Promise<string | undefined> => undefined;
