import { EC2Client } from '@aws-sdk/client-ec2';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { authorizeIngressEvent } from '../support/cloudtrail';
import { OPEN_22, OPEN_443, ingressRules, seedSecurityGroup } from '../support/ec2';
import { REPO_ROOT } from '../support/samples';

const REGION = 'sa-east-1';
const dir = mkdtempSync(join(tmpdir(), 'rampart-cli-'));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function rampart(...args: string[]) {
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/rampart.js'), ...args], {
    cwd: dir, // no rampart.config.yaml there: defaults apply
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'INFO' }, // AWS_ENDPOINT_URL points at the test moto server
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npx rampart handle', () => {
  const ec2 = new EC2Client({ region: REGION });
  afterAll(() => ec2.destroy());
  const openSsh = (groupId: string) =>
    authorizeIngressEvent(
      groupId,
      [{ protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' }],
      {},
      { region: REGION },
    );

  it('reverts and prints the decision and outcome as JSON; audit lines go to stderr', async () => {
    const groupId = await seedSecurityGroup(ec2, [OPEN_22, OPEN_443]);
    const run = rampart('handle', file('open.json', openSsh(groupId)));
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.resources[0].decisions[0]).toMatchObject({
      action: 'remediate',
      policyId: 'sg-no-public-ingress',
    });
    expect(result.resources[0].outcomes[0]).toMatchObject({ status: 'reverted' });
    expect(run.stderr.split('\n').filter((l) => l.includes('"audit":"outcome"'))).toHaveLength(1);
    expect((await ingressRules(ec2, groupId)).map((r) => r.text)).toEqual([
      'tcp 443-443 0.0.0.0/0',
    ]);
  });

  it('--dry-run decides but writes nothing', async () => {
    const groupId = await seedSecurityGroup(ec2, [OPEN_22]);
    const run = rampart('handle', file('dry.json', openSsh(groupId)), '--dry-run');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).resources[0].outcomes[0]).toMatchObject({ status: 'dry-run' });
    expect((await ingressRules(ec2, groupId)).map((r) => r.text)).toEqual(['tcp 22-22 0.0.0.0/0']);
  });

  it('honours --config (notify mode writes nothing)', async () => {
    const groupId = await seedSecurityGroup(ec2, [OPEN_22]);
    const config = file('notify.yaml', 'policies:\n  sg-no-public-ingress:\n    mode: notify\n');
    const run = rampart('handle', file('notify.json', openSsh(groupId)), '--config', config);
    expect(JSON.parse(run.stdout).resources[0].outcomes[0]).toMatchObject({ status: 'notified' });
    expect(await ingressRules(ec2, groupId)).toHaveLength(1);
  });

  it.each([
    [['handle', join(dir, 'missing.json')], /cannot read .*missing\.json/],
    [['handle', file('truncated.json', '{"detail-type": "AWS API')], /is not valid JSON/],
    [
      [
        'handle',
        file('bad.json', {
          'detail-type': 'AWS API Call via CloudTrail',
          detail: { eventName: 'X' },
        }),
      ],
      /detail\.eventID is missing/,
    ],
    [['handle', file('log.json', { Records: [] })], /CloudTrail log file/],
    [
      [
        'handle',
        file('ok.json', { 'detail-type': 'Other', detail: {} }),
        '--config',
        file('c.yaml', 'policies:\n  sg-no-public-ingress:\n    mode: on\n'),
      ],
      /mode: invalid value; allowed: "enforce"\|"notify"\|"dry-run"/,
    ],
    [['handle'], /missing required argument/],
  ])('exits 2 with a message naming the problem: %j', (args, message) => {
    const run = rampart(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });
});
