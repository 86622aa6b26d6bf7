import { EC2Client } from '@aws-sdk/client-ec2';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { AuditLog, createLogger } from '../../src/audit';
import { AwsClients } from '../../src/aws/clients';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { ensureHistoryTable } from '../../src/history/store';
import { authorizeIngressEvent } from '../support/cloudtrail';
import { OPEN_22, OPEN_443, seedSecurityGroup } from '../support/ec2';

const REGION = 'af-south-1'; // this file's own region in the shared moto server
const silent = () =>
  new AuditLog(createLogger({ stream: { write: () => true } as unknown as NodeJS.WritableStream }));

describe('the evaluator keeps every outcome in the compliance history when a table is configured', () => {
  const table = `rampart-history-${randomUUID().slice(0, 8)}`;
  const clients = new AwsClients({ maxAttempts: 2 });
  const ec2 = new EC2Client({ region: REGION });
  let rampart: Rampart;
  const savedRegion = process.env.AWS_REGION;

  beforeAll(async () => {
    process.env.AWS_REGION = REGION; // the history table lives in the evaluator's region
    await ensureHistoryTable(clients, { name: table, region: REGION });
    const config = parseConfig({ compliance: { historyTable: table } }, defaultCatalog());
    rampart = createRampart({ clients, config, audit: silent(), humanLoop: { reporters: [] } });
  });
  afterAll(() => {
    process.env.AWS_REGION = savedRegion;
    clients.destroy();
    ec2.destroy();
  });

  it('records a revert with its actor and time to revert, and nothing for a compliant change', async () => {
    const start = new Date().toISOString();
    const groupId = await seedSecurityGroup(ec2, [OPEN_22, OPEN_443]);
    const open = authorizeIngressEvent(
      groupId,
      [{ protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' }],
      {},
      { region: REGION },
    );
    const allowed = authorizeIngressEvent(
      groupId,
      [{ protocol: 'tcp', from: 443, cidr: '0.0.0.0/0' }],
      {},
      { region: REGION },
    );
    const first = await rampart.evaluator.handleEvent(open);
    expect(first.status).toBe('handled');
    await rampart.evaluator.handleEvent(allowed); // already compliant: not history

    const outcomes = await rampart.history!.outcomesBetween(start, new Date().toISOString());
    expect(outcomes).toHaveLength(1);
    const [record] = outcomes;
    expect(record).toMatchObject({
      source: 'cloudtrail',
      eventId: open.detail.eventID,
      eventName: 'AuthorizeSecurityGroupIngress',
      policy: 'sg-no-public-ingress',
      resourceType: 'AWS::EC2::SecurityGroup',
      resourceId: groupId,
      account: '123456789012',
      region: REGION,
      status: 'reverted',
      actor: 'arn:aws:sts::123456789012:assumed-role/Developer/alice',
    });
    expect(record!.arn).toContain(groupId);
    expect(record!.timeToRevertMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(record!.eventTime!)).toBe(Date.parse(open.detail.eventTime));
  });

  it('keeps no history without a table', () => {
    const config = parseConfig({}, defaultCatalog(), '(object)', {});
    const bare = createRampart({ clients, config, audit: silent(), humanLoop: { reporters: [] } });
    expect(bare.history).toBeUndefined();
  });
});
