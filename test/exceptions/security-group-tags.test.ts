import { CreateTagsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart } from '../../src/app';
import { AuditLog, createLogger } from '../../src/audit';
import { AwsClients } from '../../src/aws/clients';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { ExceptionStore } from '../../src/exceptions/store';
import { ensureExceptionsTable } from '../../src/exceptions/table';
import { securityGroupRef } from '../../src/resources/ec2-security-group/ref';
import { Sweeper } from '../../src/sweep/sweep';
import { authorizeIngressEvent } from '../support/cloudtrail';
import { OPEN_22, ingressRules, seedSecurityGroup } from '../support/ec2';

const REGION = 'ap-east-1'; // this file's own region in the shared moto server
const ACCOUNT = '123456789012';
const TABLE = { name: 'rampart-exceptions-sg-tags', region: REGION };

describe('a tag-scoped exception on security groups (moto)', () => {
  const clients = new AwsClients();
  const ec2 = new EC2Client({ region: REGION });
  const exceptions = new ExceptionStore(clients, TABLE);
  let tagged: string;
  let untagged: string;

  beforeAll(async () => {
    await ensureExceptionsTable(clients, TABLE);
    tagged = await seedSecurityGroup(ec2, [OPEN_22]);
    untagged = await seedSecurityGroup(ec2, [OPEN_22]);
    await ec2.send(
      new CreateTagsCommand({
        Resources: [tagged],
        Tags: [{ Key: 'purpose', Value: 'bastion' }],
      }),
    );
    await exceptions.grant(
      {
        policyId: 'sg-no-public-ingress',
        resource: securityGroupRef(ACCOUNT, REGION, tagged),
        scope: { kind: 'tag', account: ACCOUNT, key: 'purpose', value: 'bastion' },
        requester: { slackUserId: 'UREQ' },
        approver: 'UAPP',
        justification: 'Bastion hosts take SSH from anywhere behind MFA',
        days: 7,
      },
      Date.now(),
    );
  });
  afterAll(() => {
    clients.destroy();
    ec2.destroy();
  });

  const rampart = () =>
    createRampart({
      config: parseConfig({}, defaultCatalog()),
      clients,
      audit: new AuditLog(createLogger({ stream: { write: () => true } as never })),
      reporters: [],
      humanLoop: { exceptions, reporters: [] },
    });

  it('an event on the tagged group is excepted and changes nothing; its untagged twin is reverted', async () => {
    const { evaluator } = rampart();
    const decisionOf = async (groupId: string) => {
      const result = await evaluator.handleEvent(
        authorizeIngressEvent(
          groupId,
          [{ protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' }],
          {},
          {
            region: REGION,
          },
        ),
      );
      if (result.status !== 'handled') throw new Error(JSON.stringify(result));
      return result.resources[0]!.outcomes[0]!.status;
    };
    expect(await decisionOf(tagged)).toBe('excepted');
    expect((await ingressRules(ec2, tagged)).map((r) => r.text)).toEqual(['tcp 22-22 0.0.0.0/0']);
    expect(await decisionOf(untagged)).toBe('reverted');
    expect(await ingressRules(ec2, untagged)).toEqual([]);
  });

  it('the sweep sees the tags too: the tagged group is excepted', async () => {
    const { findings } = await new Sweeper(rampart()).run({ regions: [REGION], remediate: false });
    const byGroup = Object.fromEntries(
      findings
        .filter((f) => f.policy === 'sg-no-public-ingress')
        .map((f) => [f.resourceId, f.status]),
    );
    expect(byGroup[tagged]).toBe('excepted');
    expect(byGroup[untagged]).toBeUndefined(); // reverted by the previous test
  });
});
