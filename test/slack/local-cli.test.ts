import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsClients } from '../../src/aws/clients';
import { main } from '../../src/cli/main';
import { ensureExceptionsTable } from '../../src/exceptions/table';
import { freePort } from '../../src/local/moto';
import { startLocalSlackApp } from '../../src/slack/local';
import { postSigned } from '../support/slack-sign';

const REGION = 'eu-west-3';

describe('rampart slack --port N (local HTTP receiver)', () => {
  const clients = new AwsClients();
  let configPath: string;

  beforeAll(async () => {
    const table = { name: `rampart-local-${randomUUID().slice(0, 8)}`, region: REGION };
    await ensureExceptionsTable(clients, table);
    configPath = join(mkdtempSync(join(tmpdir(), 'rampart-slack-')), 'rampart.config.yaml');
    writeFileSync(
      configPath,
      'slack:\n  channel: C0LOCAL\n  approvers:\n    users: [U0APPROVER]\n',
    );
    Object.assign(process.env, {
      AWS_REGION: REGION,
      RAMPART_EXCEPTIONS_TABLE: table.name,
      SLACK_SIGNING_SECRET: 'local-secret',
      SLACK_BOT_TOKEN: 'xoxb-local',
    });
  });
  afterAll(() => clients.destroy());

  it('serves /slack/events on 127.0.0.1 with signatures verified, then stops', async () => {
    const port = await freePort();
    const server = await startLocalSlackApp({ port, configPath });
    try {
      expect(server.url).toBe(`http://127.0.0.1:${port}/slack/events`);
      const body = JSON.stringify({ type: 'url_verification', challenge: 'local-c', token: 't' });
      const ok = await postSigned(server.url, body, 'application/json', { secret: 'local-secret' });
      expect(ok).toEqual({ status: 200, text: JSON.stringify({ challenge: 'local-c' }) });
      const forged = await postSigned(server.url, body, 'application/json', { secret: 'wrong' });
      expect(forged.status).toBe(401);
    } finally {
      await server.stop();
    }
    await expect(
      fetch(server.url, { method: 'POST', signal: AbortSignal.timeout(2000) }),
    ).rejects.toThrow();
  });

  it('refuses a bad port and names the option', async () => {
    expect(await main(['slack', '--port', '70000'])).toBe(2);
  });
});
