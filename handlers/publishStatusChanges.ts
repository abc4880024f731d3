// Announces every change of a restore's status on EventBridge (contract section 14, "Announced"),
// driven by the restores table's stream so that every writer is covered: import, sync, any other.

import { createAnnouncer } from '../lib/events/announce.ts';
import { readEventsConfig } from '../lib/events/config.ts';
import { createEventsClient } from '../lib/events/publish.ts';

const config = readEventsConfig(process.env);
export const handler = createAnnouncer({ config, client: createEventsClient(config) });
