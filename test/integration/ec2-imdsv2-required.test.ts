import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { Sweeper } from '../../src/sweep/sweep';
import { RecordingClients } from '../support/recording-clients';
import { envelopeOf, loadSample } from '../support/samples';

const REGION = 'ap-southeast-6'; // shared with the KMS, logs and SNS tests: no instance elsewhere

describe('EC2 instances that allow IMDSv1 are reported, never changed (moto)', () => {
  let rampart: Rampart;
  let clients: RecordingClients;
  let ec2: EC2Client;
  const catalog = defaultCatalog();

  beforeAll(() => {
    clients = new RecordingClients({ maxAttempts: 2 });
    const only = Object.fromEntries(
      [...catalog.policies.keys()].map((p) => [
        p,
        p === 'ec2-imdsv2-required' ? {} : { enabled: false },
      ]),
    );
    rampart = createRampart({
      clients,
      config: parseConfig(
        { policies: only, compliance: { sweep: { regions: [REGION] } } },
        catalog,
      ),
    });
    ec2 = new EC2Client({ region: REGION });
  });
  afterAll(() => {
    clients.destroy();
    ec2.destroy();
  });
  const launch = async (HttpTokens: 'optional' | 'required', count = 1) =>
    (
      await ec2.send(
        new RunInstancesCommand({
          ImageId: 'ami-12c6146b',
          InstanceType: 't3.micro',
          MinCount: count,
          MaxCount: count,
          MetadataOptions: { HttpTokens },
        }),
      )
    ).Instances!.map((i) => i.InstanceId!);

  it('the real RunInstances sample, pointed at two launched instances: one notice each, no write', async () => {
    const ids = await launch('optional', 2);
    const sample = loadSample('custodian__RunInstances__1.json');
    const response = sample.responseElements as {
      instancesSet: { items: Record<string, unknown>[] };
    };
    const record = {
      ...sample,
      awsRegion: REGION,
      recipientAccountId: '123456789012',
      responseElements: {
        ...response,
        instancesSet: {
          items: response.instancesSet.items.map((item, n) => ({ ...item, instanceId: ids[n] })),
        },
      },
    };
    clients.reset();
    const result = await rampart.evaluator.handleEvent(envelopeOf(record));
    expect(
      result.status === 'handled' &&
        result.resources.map((r) => [r.resource.id, r.outcomes.map((o) => o.status)]),
    ).toEqual(ids.map((id) => [id, ['notified']]));
    expect(clients.writes()).toEqual([]);
  });

  it('the sweep finds the instances that allow IMDSv1, not the one that requires IMDSv2', async () => {
    const [strict] = await launch('required');
    const { findings, summary } = await new Sweeper(rampart).run({ remediate: false });
    expect(summary.errors).toEqual([]);
    expect(findings).toHaveLength(2);
    expect(findings.map((f) => f.resourceId)).not.toContain(strict);
  });
});
