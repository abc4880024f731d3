// The status-change publisher's environment, read once at start-up and checked: a bad
// setting fails the cold start, not a batch. The bus has no default here: a deployed
// function always gets it from the stage (serverless.yml or the SAM template).

import { DEFAULT_REGION } from '../config.ts';

export interface EventsConfig {
  /** The EventBridge bus announcements go to (the stage parameter eventBusName). */
  readonly eventBusName: string;
  readonly region: string;
  /** An EventBridge-compatible endpoint (a stand-in in tests); undefined means AWS's own. */
  readonly endpoint: string | undefined;
}

/** EventBridge's own rule for a bus name (partner buses hold a slash). */
const BUS_NAME = /^[A-Za-z0-9._\-/]{1,256}$/;

export const readEventsConfig = (env: NodeJS.ProcessEnv): EventsConfig => {
  const eventBusName = env['EVENT_BUS_NAME'];
  if (!eventBusName) throw new Error('EVENT_BUS_NAME is not set');
  if (!BUS_NAME.test(eventBusName))
    throw new Error(`EVENT_BUS_NAME is not an event bus name: ${eventBusName}`);
  // The SDK's own variable for this service's endpoint, checked here rather than at the first call.
  const endpoint = env['AWS_ENDPOINT_URL_EVENTBRIDGE'] || undefined;
  if (endpoint !== undefined && !URL.canParse(endpoint)) {
    throw new Error(`AWS_ENDPOINT_URL_EVENTBRIDGE is not a URL: ${endpoint}`);
  }
  return {
    eventBusName,
    region: env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || DEFAULT_REGION,
    endpoint,
  };
};
