import { accessSync, constants } from 'node:fs';
import type { Availability } from './lab.js';

/** Debian's package (`apt-get install chromium`), which .ci/run installs; CHROMIUM_PATH overrides. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/**
 * The Chromium binary browser tests drive. Without it a suite skips and says why; under CI=true,
 * where .ci/run installs it, a missing binary is a failure instead.
 */
export function chromiumExecutable(): Availability<string> {
  const path = process.env['CHROMIUM_PATH'] ?? DEFAULT_CHROMIUM;
  try {
    accessSync(path, constants.X_OK);
    return { available: true, value: path };
  } catch {
    const message = `chromium is not available: no executable at ${path}`;
    if (process.env['CI'] === 'true') {
      throw new Error(
        `${message}. Under CI=true it must be installed (apt-get install -y chromium).`,
      );
    }
    console.warn(
      `SKIPPED browser suites: ${message}. Install it with: apt-get install -y chromium (or set CHROMIUM_PATH)`,
    );
    return { available: false, reason: message };
  }
}
