import { EC2Client } from '@aws-sdk/client-ec2';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createRampart } from '../../src/app';
import { AuditLog, createLogger } from '../../src/audit';
import { AwsClients } from '../../src/aws/clients';
import { replay, replayFiles, ReplayInputError } from '../../src/simulate';
import { authorizeIngressEvent } from '../support/cloudtrail';
import { OPEN_22, ingressRules, seedSecurityGroup } from '../support/ec2';
import { SAMPLES_DIR, sampleNames } from '../support/samples';

const REGION = 'ca-central-1';

describe('rampart simulate (CloudTrail replay)', () => {
  const clients = new AwsClients({ maxAttempts: 1 });
  const rampart = createRampart({
    clients,
    audit: new AuditLog(
      createLogger({ stream: { write: () => true } as unknown as NodeJS.WritableStream }),
    ),
  });
  const ec2 = new EC2Client({ region: REGION });
  afterAll(() => {
    clients.destroy();
    ec2.destroy();
  });

  it('classifies every event of every shared sample without crashing', async () => {
    const rows = await replay(rampart.evaluator, replayFiles(SAMPLES_DIR), { dryRun: true });
    // The DynamoDB log file holds 6 records; every other sample is one event.
    expect(rows).toHaveLength(sampleNames().length + 5);
    for (const row of rows) {
      expect(['handled', 'skipped', 'malformed', 'failed'], row.file).toContain(row.status);
      expect(row.detail.length, row.file).toBeGreaterThan(0);
    }
    const byFile = (name: string) => rows.find((r) => r.file.endsWith(name))!;
    expect(byFile('panther__AuthorizeSecurityGroupIngress__2.json')).toMatchObject({
      status: 'skipped',
      detail: expect.stringContaining('failed-call'),
    });
    expect(byFile('rdk__ConfigItem-SecurityGroup__1.json')).toMatchObject({
      status: 'malformed',
      detail: expect.stringContaining('neither an EventBridge event nor a CloudTrail record'),
    });
  });

  it('replays S3 log files, gzipped or not, and writes nothing with --dry-run', async () => {
    const groupId = await seedSecurityGroup(ec2, [OPEN_22]);
    const event = authorizeIngressEvent(
      groupId,
      [{ protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' }],
      {},
      { region: REGION },
    );
    const dir = mkdtempSync(join(tmpdir(), 'rampart-replay-'));
    writeFileSync(
      join(dir, 'log.json.gz'),
      gzipSync(
        JSON.stringify({
          Records: [
            event.detail,
            { ...event.detail, eventID: 'failed', errorCode: 'AccessDenied' },
          ],
        }),
      ),
    );
    writeFileSync(join(dir, 'envelope.json'), JSON.stringify(event));

    const dry = await replay(rampart.evaluator, replayFiles(dir), { dryRun: true });
    expect(dry.map((r) => [r.file.split('/').pop(), r.index, r.status])).toEqual([
      ['envelope.json', 0, 'handled'],
      ['log.json.gz', 0, 'handled'],
      ['log.json.gz', 1, 'skipped'],
    ]);
    expect(dry[0]!.detail).toContain('sg-no-public-ingress → dry-run');
    expect(await ingressRules(ec2, groupId)).toHaveLength(1);

    const live = await replay(rampart.evaluator, [join(dir, 'envelope.json')]);
    expect(live[0]!.detail).toContain('sg-no-public-ingress → reverted');
    expect(await ingressRules(ec2, groupId)).toHaveLength(0);
  });

  it('refuses unreadable input with the file named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rampart-replay-bad-'));
    writeFileSync(join(dir, 'broken.json'), '{"Records": [');
    expect(() => replayFiles(join(dir, 'nope'))).toThrow(ReplayInputError);
    return expect(replay(rampart.evaluator, [join(dir, 'broken.json')])).rejects.toThrow(
      /broken\.json: is not valid JSON/,
    );
  });
});
