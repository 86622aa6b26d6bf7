import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart } from '../../src/app';
import { AwsClients } from '../../src/aws/clients';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { humanLoopFromEnv } from '../../src/slack/wiring';
import { Sweeper } from '../../src/sweep/sweep';
import { ExceptionStore } from '../../src/exceptions/store';
import { ensureExceptionsTable } from '../../src/exceptions/table';
import { startFaultProxy, type FaultProxy } from '../../src/local/fault-proxy';
import type { SweepFinding } from '../../src/sweep/model';
import { startMoto, type MotoServer } from '../../src/local/moto';
import { ocsfProblems } from '../support/ocsf-schema';
import { protectTable, seedClients, seedEveryPolicy, type SeedClients, type Seeded } from './seed';

const REGION = 'eu-west-3';
const ACCOUNT = '123456789012';
const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

interface ScanJson {
  findings: SweepFinding[];
  summary: Record<string, unknown> & { errors: { action?: string; message: string }[] };
}

/** Runs `rampart scan` as a child process, its output piped (not a TTY). */
async function scan(env: Record<string, string>, ...args: string[]) {
  try {
    const out = await run('node', ['bin/rampart.js', 'scan', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout: out.stdout, stderr: out.stderr };
  } catch (error) {
    const e = error as { code?: number; stdout: string; stderr: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('rampart scan against moto: every policy, compliant twins and exceptions', () => {
  let moto: MotoServer;
  let c: SeedClients;
  let seeded: Seeded;
  let env: Record<string, string>;
  const label = (f: ScanJson['findings'][number]) =>
    `${f.status} ${f.policy} ${seeded.labels.get(f.resourceId) ?? f.arn.split(/[:/]/).pop()}`;

  beforeAll(async () => {
    // Its own server: IAM is global, and exact findings need an account no other test touches.
    moto = await startMoto({ iamManagedPolicies: true });
    process.env.AWS_ENDPOINT_URL = moto.endpoint;
    env = {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: REGION,
      RAMPART_EXCEPTIONS_TABLE: 'rampart-exceptions',
      AWS_MAX_ATTEMPTS: '2',
    };
    c = seedClients(REGION);
    seeded = await seedEveryPolicy(c);
    const clients = new AwsClients();
    const table = { name: 'rampart-exceptions', region: REGION };
    await ensureExceptionsTable(clients, table);
    await protectTable(c.ddb, table.name);
    const store = new ExceptionStore(clients, table);
    const base = {
      requester: { slackUserId: 'U1' },
      approver: 'U2',
      justification: 'legacy partner integration, migrating in Q3',
      days: 30 as const,
    };
    const ref = (type: string, id: string, arn: string) => ({
      partition: 'aws',
      account: ACCOUNT,
      region: REGION,
      type,
      id,
      arn,
    });
    const { sg, sgArn, queueUrl, queueArn } = seeded.excepted;
    await store.grant(
      {
        ...base,
        policyId: 'sg-no-public-ingress',
        resource: ref('AWS::EC2::SecurityGroup', sg, sgArn),
        scope: { kind: 'resource', arn: sgArn },
      },
      Date.now(),
    );
    await store.grant(
      {
        ...base,
        policyId: 'sqs-has-dlq',
        resource: ref('AWS::SQS::Queue', queueUrl, queueArn),
        scope: { kind: 'resource', arn: queueArn },
      },
      Date.now(),
    );
    clients.destroy();
  }, 120_000);

  afterAll(async () => {
    for (const client of Object.values(c ?? {})) client.destroy();
    await moto?.stop();
  });

  it('read-only: exactly the seeded violations, the exceptions excepted, exit 1, nothing written, no progress when piped', async () => {
    const before = await seeded.twins();
    const { code, stdout, stderr } = await scan(env, '--format', 'json');
    expect(stderr).not.toMatch(/resources/);
    const report = JSON.parse(stdout) as ScanJson;
    expect(report.findings.map(label).sort()).toEqual(
      [
        'excepted sg-no-public-ingress sg:excepted',
        'excepted sqs-has-dlq sqs:legacy',
        'violation dynamodb-encrypted-kms ddb:plain',
        'violation dynamodb-pitr-enabled ddb:no-pitr',
        'violation eventbridge-target-has-dlq nightly',
        'violation iam-no-admin-access ops-admin',
        'violation lambda-has-dlq lambda:plain',
        'violation rds-encrypted rds:plain',
        'violation sg-no-public-ingress sg:open',
        'violation sns-subscription-has-dlq sns:plain',
        'violation sqs-has-dlq sqs:orders',
      ].sort(),
    );
    for (const f of report.findings) {
      expect(Object.keys(f)).toEqual([
        'policy',
        'resourceType',
        'resourceId',
        'arn',
        'account',
        'region',
        'status',
        'message',
      ]);
      expect(f.account).toBe(ACCOUNT);
      expect(f.message.length).toBeGreaterThan(10);
    }
    expect(report.summary).toMatchObject({
      accounts: [ACCOUNT],
      regions: [REGION],
      remediate: false,
      violations: 9,
      excepted: 2,
      reverted: 0,
      failed: 0,
      errors: [],
    });
    expect(code).toBe(1);
    expect(await seeded.twins()).toEqual(before);
  });

  it('--remediate reverts what can be reverted in place; a second scan finds only what cannot be', async () => {
    const before = await seeded.twins();
    const first = await scan(env, '--remediate', '--format', 'json');
    const report = JSON.parse(first.stdout) as ScanJson;
    expect(report.findings.map(label).sort()).toEqual(
      [
        'excepted sg-no-public-ingress sg:excepted',
        'excepted sqs-has-dlq sqs:legacy',
        // moto ignores UpdateTable's SSESpecification: the remediator's verification fails.
        'failed dynamodb-encrypted-kms ddb:plain',
        'reverted dynamodb-pitr-enabled ddb:no-pitr',
        'reverted eventbridge-target-has-dlq nightly',
        'reverted iam-no-admin-access ops-admin',
        'reverted lambda-has-dlq lambda:plain',
        // No in-place remediation exists (mode notify).
        'violation rds-encrypted rds:plain',
        'reverted sg-no-public-ingress sg:open',
        'reverted sns-subscription-has-dlq sns:plain',
        'reverted sqs-has-dlq sqs:orders',
      ].sort(),
    );
    expect(first.code).toBe(1);

    const second = await scan(env, '--format', 'json');
    const after = JSON.parse(second.stdout) as ScanJson;
    expect(after.findings.map(label).sort()).toEqual(
      [
        'excepted sg-no-public-ingress sg:excepted',
        'excepted sqs-has-dlq sqs:legacy',
        'violation dynamodb-encrypted-kms ddb:plain',
        'violation rds-encrypted rds:plain',
      ].sort(),
    );
    expect(second.code).toBe(1);
    expect(await seeded.twins()).toEqual(before);
  });

  it('the same sweep in process (as the scheduled function runs it) finds the same', async () => {
    const clients = new AwsClients({ maxAttempts: 2 });
    const catalog = defaultCatalog();
    const rampart = createRampart({
      clients,
      config: parseConfig({ compliance: { sweep: { regions: [REGION] } } }, catalog),
      humanLoop: humanLoopFromEnv({
        catalog,
        config: parseConfig({}, catalog),
        clients,
        env: { RAMPART_EXCEPTIONS_TABLE: 'rampart-exceptions', AWS_REGION: REGION },
      }),
    });
    try {
      const before = await seeded.twins();
      const { findings, summary } = await new Sweeper(rampart).run({ remediate: false });
      // After the remediating scan above: what is left is what it could not or may not fix.
      expect(findings.map(label).sort()).toEqual(
        [
          'excepted sg-no-public-ingress sg:excepted',
          'excepted sqs-has-dlq sqs:legacy',
          'violation dynamodb-encrypted-kms ddb:plain',
          'violation rds-encrypted rds:plain',
        ].sort(),
      );
      expect(summary.errors).toEqual([]);
      expect(await seeded.twins()).toEqual(before);
    } finally {
      clients.destroy();
    }
  });

  it('table and sarif formats carry the same findings', async () => {
    const table = await scan(env, '--format', 'table');
    expect(table.stdout).toMatch(/^policy\s+account\s+resources\s+compliant\s+n\/a\s+violations/m);
    expect(table.stdout).toMatch(/rds-encrypted\s+123456789012\s+2\s+1\s+0\s+1\s+0\s+0\s+0/);
    const sarif = JSON.parse((await scan(env, '--format', 'sarif')).stdout) as {
      version: string;
      runs: { results: { ruleId: string; kind: string; suppressions?: unknown[] }[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const results = sarif.runs[0]!.results;
    expect(results.map((r) => r.ruleId).sort()).toEqual([
      'dynamodb-encrypted-kms',
      'rds-encrypted',
      'sg-no-public-ingress',
      'sqs-has-dlq',
    ]);
    expect(
      results
        .filter((r) => r.suppressions)
        .map((r) => r.ruleId)
        .sort(),
    ).toEqual(['sg-no-public-ingress', 'sqs-has-dlq']);
  });

  it('ocsf format: schema-valid Compliance Findings, one per finding, suppressed where excepted', async () => {
    const json = JSON.parse((await scan(env, '--format', 'json')).stdout) as ScanJson;
    const ocsf = JSON.parse((await scan(env, '--format', 'ocsf')).stdout) as {
      class_uid: number;
      status_id: number;
      finding_info: { uid: string };
      compliance: { control: string; status_id: number; requirements: string[] };
      resources: { uid: string }[];
      cloud: { account: { uid: string } };
    }[];
    for (const f of ocsf) expect(ocsfProblems(f)).toEqual([]);
    expect(ocsf.map((f) => `${f.compliance.control} ${f.resources[0]!.uid}`).sort()).toEqual(
      json.findings.map((f) => `${f.policy} ${f.arn}`).sort(),
    );
    expect(new Set(ocsf.map((f) => f.finding_info.uid)).size).toBe(ocsf.length);
    expect(ocsf.every((f) => f.class_uid === 2003 && f.cloud.account.uid === ACCOUNT)).toBe(true);
    // Excepted findings (status 3 Suppressed) are the sg and sqs ones, still failing compliance.
    expect(
      ocsf
        .filter((f) => f.status_id === 3)
        .map((f) => f.compliance.control)
        .sort(),
    ).toEqual(['sg-no-public-ingress', 'sqs-has-dlq']);
    expect(ocsf.every((f) => f.compliance.status_id === 3)).toBe(true);
    expect(
      ocsf.find((f) => f.compliance.control === 'sg-no-public-ingress')!.compliance.requirements,
    ).toContain('AWS Foundational Security Best Practices EC2.19');
  });

  it('exit 0 on a clean region; exit 2 on a bad --region or --format', async () => {
    const clean = await scan(env, '--region', 'sa-east-1', '--format', 'json');
    expect(JSON.parse(clean.stdout).findings).toEqual([]);
    expect(clean.code).toBe(0);
    const badRegion = await scan(env, '--region', 'mars-1');
    expect(badRegion.code).toBe(2);
    expect(badRegion.stderr).toContain('--region "mars-1" is not an AWS region');
    const badFormat = await scan(env, '--format', 'xml');
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('allowed: table, json, sarif, ocsf');
  });

  describe('access denied', () => {
    let proxy: FaultProxy;
    beforeAll(async () => {
      proxy = await startFaultProxy({
        target: moto.endpoint,
        rules: [
          {
            api: 'ec2:DescribeSecurityGroups',
            rate: 1,
            fault: { kind: 'error', status: 403, code: 'UnauthorizedOperation' },
          },
        ],
      });
    });
    afterAll(() => proxy?.close());

    it('exit 2, the denied action named; the other types are still judged', async () => {
      const { code, stdout, stderr } = await scan(
        { ...env, AWS_ENDPOINT_URL: proxy.endpoint },
        '--format',
        'json',
      );
      expect(code).toBe(2);
      expect(stderr).toContain('access denied to ec2:DescribeSecurityGroups');
      const report = JSON.parse(stdout) as ScanJson;
      expect(report.summary.errors).toEqual([
        expect.objectContaining({
          kind: 'access',
          action: 'ec2:DescribeSecurityGroups',
          resourceType: 'AWS::EC2::SecurityGroup',
        }),
      ]);
      expect(report.findings.some((f) => f.policy === 'rds-encrypted')).toBe(true);
      expect(report.findings.some((f) => f.policy === 'sg-no-public-ingress')).toBe(false);
    });
  });
});
