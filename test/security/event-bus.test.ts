import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AuthorizeSecurityGroupIngressCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { SQSBatchResponse } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { AwsClients } from '../../src/aws/clients';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { createEvaluatorHandler } from '../../src/handlers/evaluator';
import { authorizeIngressEvent } from '../support/cloudtrail';
import {
  OPEN_22,
  OPEN_443,
  PRIVATE_5432,
  ingressRules,
  recordCalls,
  seedSecurityGroup,
} from '../support/ec2';
import { createStateTable, recordingReporter, sqsEvent, sqsRecord } from '../support/reliability';

const REGION = 'eu-south-1'; // this file's own region in the shared moto server
const silent = { write: () => true } as unknown as NodeJS.WritableStream;

/** Events on the bus are triggers, not facts: whoever can put one there must not steer writes. */
describe('forged and replayed events on the bus', () => {
  let rampart: Rampart;
  let ec2: EC2Client;
  let calls: string[];
  const reporter = recordingReporter();
  const dynamodb = new DynamoDBClient({});

  beforeAll(async () => {
    const table = await createStateTable(dynamodb, `rampart-state-${randomUUID()}`);
    const clients = new AwsClients({ maxAttempts: 1 });
    rampart = createRampart({
      clients,
      logStream: silent,
      reporters: [reporter],
      config: parseConfig({ reliability: { stateTable: table } }, defaultCatalog()),
    });
    calls = recordCalls(clients.get(EC2Client, { region: REGION, account: '123456789012' }));
    ec2 = new EC2Client({ region: REGION });
  });
  afterAll(() => {
    rampart.clients.destroy();
    ec2.destroy();
    dynamodb.destroy();
  });

  it('a forged "port 22 opened" event on a compliant group changes nothing: live state decides', async () => {
    const groupId = await seedSecurityGroup(ec2, [OPEN_443, PRIVATE_5432]);
    const before = await ingressRules(ec2, groupId);
    calls.length = 0;
    const forged = authorizeIngressEvent(
      groupId,
      [{ protocol: 'tcp', from: 0, to: 65535, cidr: '0.0.0.0/0' }],
      {},
      { region: REGION },
    );
    const result = await rampart.evaluator.handleEvent(forged);
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]!.status).toBe(
      'already-compliant',
    );
    expect(calls).toEqual(['DescribeSecurityGroupRulesCommand']);
    expect(await ingressRules(ec2, groupId)).toEqual(before);
  });

  it('a replayed event id with other content cannot pre-empt the real event', async () => {
    const handler = createEvaluatorHandler(rampart);
    const groupId = await seedSecurityGroup(ec2, [OPEN_22]);
    const real = authorizeIngressEvent(
      groupId,
      [{ protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' }],
      {},
      { region: REGION },
    );
    // Seen first: same eventID and group, but a failed call, then a harmless-looking variant.
    const decoys = [
      { ...real, detail: { ...real.detail, errorCode: 'Client.UnauthorizedOperation' } },
      { ...real, detail: { ...real.detail, sourceIPAddress: '192.0.2.1' } },
    ];
    for (const decoy of decoys) {
      await handler(sqsEvent([sqsRecord(JSON.stringify(decoy))]));
    }
    // The decoys were evaluated on live state too, so the group is already closed by now;
    // re-open it as the real change would have, then deliver the real event.
    const reopened = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [OPEN_22] }),
    );
    expect(reopened.Return).toBe(true);
    const out = (await handler(sqsEvent([sqsRecord(JSON.stringify(real))]))) as SQSBatchResponse;
    expect(out.batchItemFailures).toEqual([]);
    expect(await ingressRules(ec2, groupId)).toEqual([]);
    // The real delivery acted (a revert), it was not answered from a decoy's stored result.
    expect(reporter.notices.at(-1)!.trigger.eventId).toBe(real.detail.eventID);
    expect(reporter.notices.at(-1)!.outcome!.status).toBe('reverted');
  });
});
