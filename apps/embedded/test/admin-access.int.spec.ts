import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '@clocktower/config';
import { createLogger } from '@clocktower/platform';
import { until } from '@clocktower/testing';
import { accessLines } from '../src/access-banner.js';
import { EmbeddedConfig } from '../src/embedded.config.js';
import { startEmbedded, type EmbeddedClocktower } from '../src/embedded.js';

describe('embedded Clocktower: the first admin and their key', () => {
  let clocktower: EmbeddedClocktower;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ct-embedded-admin-'));
    const config = parseConfig(EmbeddedConfig, {
      PORT: '0',
      CLOCKTOWER_DATA: dataDir,
      LOG_LEVEL: 'error',
    });
    clocktower = await startEmbedded(config, createLogger(config));
  });

  afterAll(async () => {
    await clocktower?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes admin.key (mode 600) on the first start; the banner shows its path and a curl, never the key', () => {
    const keyFile = join(dataDir, 'admin.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(clocktower.admin).toEqual({
      hasAdmin: true,
      adminEmails: ['admin@localhost'],
      keyFile,
      keyFilePresent: true,
    });
    const banner = accessLines(clocktower.url, clocktower.admin, dataDir).join('\n');
    expect(banner).toContain(`admin API key: ${keyFile}`);
    expect(banner).toContain(
      `curl -H "Authorization: Bearer $(cat admin.key)" ${clocktower.url}/api/v1/jobs`,
    );
    expect(banner).not.toContain(readFileSync(keyFile, 'utf8').trim());
  });

  it('serves the API to the admin key and refuses requests without one', async () => {
    const key = readFileSync(join(dataDir, 'admin.key'), 'utf8').trim();
    expect((await fetch(`${clocktower.url}/api/v1/jobs`)).status).toBe(401);
    await until(
      'the jobs list answered',
      async () =>
        (
          await fetch(`${clocktower.url}/api/v1/jobs`, {
            headers: { authorization: `Bearer ${key}` },
          })
        ).status === 200,
      20_000,
      100,
    );
  });

  it('tells how to get a key when the admin exists but admin.key is gone', () => {
    const lines = accessLines(
      clocktower.url,
      { ...clocktower.admin, keyFilePresent: false },
      dataDir,
    );
    expect(lines.join('\n')).toMatch(
      /no admin.key; make an admin key with:\n.*umask 077; npm run -s users -- key create --email admin@localhost > admin.key/,
    );
  });
});
