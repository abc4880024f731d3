// The table names of the local runner: `npm start`, `npm run token`, the tests and the
// benchmark. Deployed functions have no defaults (lib/config.ts): these are the only ones.

import { type Config, TABLE_VARIABLES } from '../config.ts';

export type TableNames = Pick<Config, keyof typeof TABLE_VARIABLES>;

export const LOCAL_TABLES: TableNames = {
  restoresTable: 'restores',
  authorizedServicesTable: 'authorized_services',
  authorizedUsersTable: 'authorized_users',
};

const settings = Object.keys(TABLE_VARIABLES) as (keyof TableNames)[];

/** The names `env` sets (RESTORES_TABLE, ...), each one it leaves unset or empty the local one. */
export const localTableNames = (env: NodeJS.ProcessEnv = process.env): TableNames =>
  Object.fromEntries(
    settings.map((setting) => [setting, env[TABLE_VARIABLES[setting]] || LOCAL_TABLES[setting]]),
  ) as TableNames;

/** The environment variables that hand `names` to the functions. */
export const tableEnv = (names: TableNames = LOCAL_TABLES): Record<string, string> =>
  Object.fromEntries(settings.map((setting) => [TABLE_VARIABLES[setting], names[setting]]));
