// Bundled in place of the SDK's lazy import of @smithy/core/event-streams (see
// esbuild.config.cjs): it is only reached by operations that stream events, and no DynamoDB
// operation does, so its 11 KB would only ever be bundled, never run.

const notBundled = (): never => {
  throw new Error('event streams are not in this bundle');
};

export class EventStreamSerde {
  constructor() {
    notBundled();
  }
}

export const eventStreamSerdeProvider = notBundled;
