// Install scripts: every dependency that has one is allowed or denied by name in package.json
// (npm's allowScripts), and Scarf's install-time telemetry is switched off for npm versions
// that would still run it.

import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import lock from '../../package-lock.json' with { type: 'json' };

const withInstallScripts = Object.entries(lock.packages as Record<string, { hasInstallScript?: boolean }>)
  .filter(([, entry]) => entry.hasInstallScript)
  .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));

describe('install scripts', () => {
  it('are each allowed or denied by name', () => {
    expect(withInstallScripts.length).toBeGreaterThan(0);
    const decided = Object.keys(pkg.allowScripts);
    expect(withInstallScripts.filter((name) => !decided.includes(name))).toEqual([]);
  });

  it('never report telemetry: Scarf is denied and opted out of', () => {
    expect(pkg.allowScripts).toMatchObject({ '@scarf/scarf': false });
    expect(pkg.scarfSettings).toEqual({ enabled: false });
  });
});
