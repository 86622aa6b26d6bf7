import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsClients } from '../../src/aws/clients';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import type { Digest } from '../../src/digest/model';
import { DIGEST_HANDLER_ACTIONS, createDigestHandler } from '../../src/handlers/digest';
import { createSlackClient } from '../../src/slack/reporter';
import { SlackApiStandIn } from '../support/slack-api';
import { REPO_ROOT } from '../support/samples';
import { iso, seedHistory, topicWithQueue, type Seeded } from './seed';

const REGION = 'ap-southeast-3'; // this file's own region in the shared moto server
const DAY = 24 * 3600_000;
const dir = mkdtempSync(join(tmpdir(), 'rampart-digest-cli-'));
const suffix = randomUUID().slice(0, 8);
const names = { history: `digest-cli-h-${suffix}`, exceptions: `digest-cli-x-${suffix}` };
const silentLogger = {
  info: () => undefined,
  error: () => undefined,
} as unknown as NonNullable<Parameters<typeof createDigestHandler>[0]['logger']>;

function rampart(args: string[], env: Record<string, string | undefined>) {
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/rampart.js'), ...args], {
    cwd: dir, // no rampart.config.yaml there
    env: { ...process.env, AWS_REGION: REGION, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('digest CLI and Lambda handler (moto)', () => {
  const clients = new AwsClients({ maxAttempts: 2 });
  let seeded: Seeded;
  beforeAll(async () => {
    seeded = await seedHistory(clients, REGION, names);
  });
  afterAll(() => {
    clients.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  const tables = () => ({
    RAMPART_HISTORY_TABLE: names.history,
    RAMPART_EXCEPTIONS_TABLE: names.exceptions,
  });

  it('npx rampart digest prints text, JSON, and writes the HTML report', () => {
    const now = iso(seeded.now);
    const text = rampart(['digest', '--now', now], tables());
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('Open violations: 6 (▼1)');
    expect(text.stdout).toContain('Reverted since the last digest: 7');
    expect(text.stdout).toContain('Exceptions granted: 4, denied: 1, expiring within 7 days: 2');
    expect(text.stdout).toContain('Time to revert: p50 3.0 s, p95 1 min 0 s (6 reverts)');

    const html = join(dir, 'digest.html');
    const json = rampart(['digest', '--now', now, '--format', 'json', '--html', html], tables());
    expect(json.code, json.stderr).toBe(0);
    const digest = JSON.parse(json.stdout) as Digest;
    expect(digest.totals).toMatchObject({ open: 6, previousOpen: 7, reverted: 7, granted: 4 });
    expect(digest.rows).toHaveLength(5);
    expect(readFileSync(html, 'utf8')).toContain('data-chart="trend"');
    expect(json.stderr).toContain(`HTML report written to ${html}`);
  });

  it('names the missing setting when no history table is configured (exit 2)', () => {
    const run = rampart(['digest'], { RAMPART_HISTORY_TABLE: undefined });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('compliance.historyTable');
    expect(run.stderr).toContain('RAMPART_HISTORY_TABLE');
    const badTime = rampart(['digest', '--now', 'yesterday'], tables());
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toContain('--now "yesterday" is not an ISO-8601 time');
    expect(rampart(['digest', '--format', 'yaml'], tables()).stderr).toContain(
      '--format "yaml" is not allowed; allowed: text, json',
    );
  });

  describe('Lambda handler', () => {
    let api: SlackApiStandIn;
    let topic: Awaited<ReturnType<typeof topicWithQueue>>;
    beforeAll(async () => {
      api = await new SlackApiStandIn().start();
      topic = await topicWithQueue(REGION, `digest-${suffix}`);
    });
    afterAll(async () => {
      await api.stop();
      topic.destroy();
    });

    const handlerAt = (t: number) =>
      createDigestHandler({
        config: parseConfig(
          {
            compliance: {
              historyTable: names.history,
              digest: { slackChannel: 'C0DIGEST01', snsTopicArn: topic.topicArn },
            },
          },
          defaultCatalog(),
        ),
        clients,
        env: { AWS_REGION: REGION, RAMPART_EXCEPTIONS_TABLE: names.exceptions },
        logger: silentLogger,
        slackClient: createSlackClient('xoxb-test', {
          slackApiUrl: api.url,
          retryConfig: { retries: 0 },
        }),
        now: () => t,
      });

    it('posts to Slack, publishes to SNS and stores the digest record', async () => {
      const result = await handlerAt(seeded.now)({ source: 'aws.scheduler' });
      expect(result).toEqual({
        generatedAt: iso(seeded.now),
        from: iso(seeded.now - 7 * DAY),
        to: iso(seeded.now),
        open: 6,
        slack: 'delivered',
        sns: 'delivered',
      });
      const [post] = api.callsTo('chat.postMessage');
      expect(post!.body.channel).toBe('C0DIGEST01');
      expect(String(post!.body.text)).toContain('6 open violation(s), 7 reverted');
      expect((await topic.receive()).Subject).toBe(
        `[Rampart] Digest ${iso(seeded.now).slice(0, 10)}: 6 open, 7 reverted`,
      );
      const [stored] = (await seeded.history.digestsBefore(iso(seeded.now + 1), 1)) ?? [];
      expect(stored).toMatchObject({
        generatedAt: iso(seeded.now),
        openViolations: 6,
        reverted: 7,
      });
    });

    it('a failed Slack post does not stop SNS or the record; the next digest starts from it', async () => {
      api.failNext('chat.postMessage', { status: 500 }, 5);
      const later = seeded.now + DAY;
      const result = await handlerAt(later)({});
      expect(result).toMatchObject({ from: iso(seeded.now), slack: 'failed', sns: 'delivered' });
      const [stored] = await seeded.history.digestsBefore(iso(later + 1), 1);
      expect(stored!.generatedAt).toBe(iso(later));
    });
  });

  it('declares its IAM actions as data, none a wildcard', () => {
    const all = Object.values(DIGEST_HANDLER_ACTIONS).flat();
    expect(all).toEqual([
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:Scan',
      'sns:Publish',
      'secretsmanager:GetSecretValue',
    ]);
    expect(all.some((a) => a.includes('*'))).toBe(false);
  });
});
