import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { Sweeper } from '../../src/sweep/sweep';
import { cloudTrailEnvelope } from '../support/cloudtrail';
import { RecordingClients } from '../support/recording-clients';

const REGION = 'ap-southeast-6'; // shared with the KMS test: no log group elsewhere in it

/** CreateLogGroup as CloudTrail records it (CloudWatch Logs API reference members). */
const createLogGroupEvent = (logGroupName: string) =>
  cloudTrailEnvelope(
    {
      eventSource: 'logs.amazonaws.com',
      eventName: 'CreateLogGroup',
      requestParameters: { logGroupName },
      responseElements: null,
    },
    { region: REGION },
  );

describe('log groups do not keep events forever (moto)', () => {
  let rampart: Rampart;
  let clients: RecordingClients;
  let logs: CloudWatchLogsClient;
  const catalog = defaultCatalog();

  beforeAll(() => {
    clients = new RecordingClients({ maxAttempts: 2 });
    const only = Object.fromEntries(
      [...catalog.policies.keys()].map((p) =>
        p === 'logs-retention-set' ? [p, { parameters: { days: 90 } }] : [p, { enabled: false }],
      ),
    );
    rampart = createRampart({
      clients,
      config: parseConfig(
        { policies: only, compliance: { sweep: { regions: [REGION] } } },
        catalog,
      ),
    });
    logs = new CloudWatchLogsClient({ region: REGION });
  });
  afterAll(() => {
    clients.destroy();
    logs.destroy();
  });
  const retention = async (name: string) =>
    (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups?.find(
      (g) => g.logGroupName === name,
    )?.retentionInDays;

  it('sets the configured retention on a new group, on no other; then is a no-op', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/app/orders' }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/app/orders-archive' }));
    const result = await rampart.evaluator.handleEvent(createLogGroupEvent('/app/orders'));
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]).toMatchObject({
      policyId: 'logs-retention-set',
      status: 'reverted',
      changes: ['set retention of log group /app/orders to 90 days'],
    });
    expect(await retention('/app/orders')).toBe(90);
    expect(await retention('/app/orders-archive')).toBeUndefined();

    clients.reset();
    const again = await rampart.evaluator.handleEvent(createLogGroupEvent('/app/orders'));
    expect(again.status === 'handled' && again.resources[0]!.outcomes[0]!.status).toBe(
      'already-compliant',
    );
    expect(clients.writes()).toEqual([]);
  });

  it('attack: a name that is only a prefix of an existing group finds nothing and changes nothing', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/team/payments-ledger' }));
    clients.reset();
    const result = await rampart.evaluator.handleEvent(createLogGroupEvent('/team/payments'));
    expect(result.status === 'handled' && result.resources[0]!.status).toBe('not-found');
    expect(clients.writes()).toEqual([]);
    expect(await retention('/team/payments-ledger')).toBeUndefined();
  });

  it('the sweep finds every group that keeps events forever', async () => {
    const { findings, summary } = await new Sweeper(rampart).run({ remediate: false });
    expect(summary.errors).toEqual([]);
    expect(findings.map((f) => f.resourceId).sort()).toEqual([
      '/app/orders-archive',
      '/team/payments-ledger',
    ]);
  });
});
