// Sample restores for the local stack, as QRadar's own list writes them (Longs as bigint): one
// in every status, and Longs at the edges of the 64-bit range to show they come back exact.
// npm start loads them through the import's mapping (putRestores).

import type { Restore, RestoreStatus } from '../lib/restore/fields.ts';

const DAY = 86_400_000n;
const started = 1_767_225_600_000n; // 2026-01-01T00:00:00Z

const base = {
  initiated_by: 'admin',
  host_id: 53n,
  is_cross_deployment_restore: false,
  backup_name: 'Nightly configuration backup',
  backup_version: '7.5.0',
  backup_type: 'CONFIG',
  backup_filename: 'backup.nightly.7_5_0.2026_01_01.config.1767225600000.tgz',
  groups: ['CUSTOM_RULES_CONFIG', 'DEPLOYMENT_CONFIG', 'USERS_CONFIG'],
} as const satisfies Partial<Restore>;

const inFlight = (id: bigint, status: RestoreStatus): Restore => ({
  ...base,
  groups: [...base.groups],
  id,
  status,
  time_initiated: started + id * DAY,
  time_completed: null,
  backup_id: 100n + id,
});

const finished = (id: bigint, status: RestoreStatus): Restore => ({
  ...inFlight(id, status),
  time_completed: started + id * DAY + 600_000n,
  // QRadar clears backup_id once a restore completes.
  backup_id: null,
});

export const SAMPLE_RESTORES: readonly Restore[] = [
  inFlight(1n, 'PENDING'),
  inFlight(2n, 'REQUESTING'),
  inFlight(3n, 'INITIALIZING'),
  inFlight(4n, 'IN_PROGRESS'),
  { ...finished(5n, 'FAILED'), initiated_by: 'backup-service', is_cross_deployment_restore: true },
  { ...finished(6n, 'SUCCESS'), groups: ['LICENSE_CONFIG', 'QVM_CONFIG'] },
  {
    ...inFlight(9_007_199_254_740_993n, 'IN_PROGRESS'),
    time_initiated: started,
    host_id: 9_223_372_036_854_775_807n,
    backup_id: -9_223_372_036_854_775_808n,
  },
];
