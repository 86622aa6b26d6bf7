import { EC2Client } from '@aws-sdk/client-ec2';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRampart } from '../../src/app';
import { AuditLog, createLogger } from '../../src/audit';
import { AwsClients } from '../../src/aws/clients';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { ensureHistoryTable, HistoryStore } from '../../src/history/store';
import { startFaultProxy, type FaultProxy } from '../../src/local/fault-proxy';
import { Sweeper } from '../../src/sweep/sweep';
import { OPEN_22, seedSecurityGroup } from '../support/ec2';

const REGION = 'us-west-2'; // this file's own region in the shared moto server
const GROUPS = 30;
const silent = () =>
  new AuditLog(createLogger({ stream: { write: () => true } as unknown as NodeJS.WritableStream }));

describe('a remediating sweep writes its outcomes to the history in batches (moto, through a counting proxy)', () => {
  const motoEndpoint = process.env.AWS_ENDPOINT_URL!;
  const table = `rampart-history-${randomUUID().slice(0, 8)}`;
  let proxy: FaultProxy;
  let ec2: EC2Client;
  let direct: AwsClients;

  const sweepOnce = async () => {
    const catalog = defaultCatalog();
    const enabled = Object.fromEntries(
      [...catalog.policies.keys()].map((id) => [
        id,
        id === 'sg-no-public-ingress' ? { mode: 'enforce' } : { enabled: false },
      ]),
    );
    const config = parseConfig(
      { policies: enabled, compliance: { historyTable: table, sweep: { regions: [REGION] } } },
      catalog,
    );
    const clients = new AwsClients({ maxAttempts: 2 });
    try {
      const rampart = createRampart({ config, clients, audit: silent(), reporters: [] });
      return await new Sweeper(rampart).run({ remediate: true });
    } finally {
      clients.destroy();
    }
  };

  beforeAll(async () => {
    proxy = await startFaultProxy({ target: motoEndpoint });
    process.env.AWS_ENDPOINT_URL = proxy.endpoint; // Rampart's clients; the test's go to moto
    ec2 = new EC2Client({ region: REGION, endpoint: motoEndpoint });
    direct = new AwsClients();
    await ensureHistoryTable(direct, { name: table, region: 'us-east-1' });
  });
  beforeEach(async () => {
    for (let i = 0; i < GROUPS; i++) await seedSecurityGroup(ec2, [OPEN_22]);
    proxy.setRules([]);
    proxy.resetStats();
  });
  afterAll(async () => {
    process.env.AWS_ENDPOINT_URL = motoEndpoint;
    ec2.destroy();
    direct.destroy();
    await proxy.close();
  });

  it('30 reverts: two BatchWriteItem calls, one PutItem (the run summary), every outcome kept', async () => {
    const started = new Date().toISOString();
    const { summary } = await sweepOnce();
    expect(summary).toMatchObject({ reverted: GROUPS, errors: [] });
    const calls = proxy.stats().calls;
    expect(calls['dynamodb:BatchWriteItem']).toBe(Math.ceil(GROUPS / 25));
    expect(calls['dynamodb:PutItem']).toBe(1);
    const history = new HistoryStore(direct, { name: table, region: 'us-east-1' });
    const kept = (
      await history.outcomesBetween(started, new Date(Date.now() + 1000).toISOString())
    ).filter((o) => o.eventId === `sweep-${summary.runId}`);
    expect(kept).toHaveLength(GROUPS);
    expect(new Set(kept.map((o) => o.status))).toEqual(new Set(['reverted']));
  });

  it('a batch that cannot be written is a sweep error naming how many outcomes were lost', async () => {
    proxy.setRules([
      {
        api: 'dynamodb:BatchWriteItem',
        rate: 1,
        fault: { kind: 'error', status: 500, code: 'InternalServerError' },
      },
    ]);
    const { summary } = await sweepOnce();
    expect(summary.reverted).toBe(GROUPS);
    expect(summary.errors).toEqual([
      expect.objectContaining({
        resourceType: 'history',
        message: expect.stringMatching(
          new RegExp(`${GROUPS} of ${GROUPS} outcome\\(s\\) not written`),
        ),
      }),
    ]);
  });
});
