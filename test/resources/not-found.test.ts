import { afterAll, describe, expect, it } from 'vitest';
import { AwsClients } from '../../src/aws/clients';
import { defaultCatalog } from '../../src/catalog';
import type { ResourceLocator } from '../../src/domain';

const REGION = 'ap-south-1';
const ACCOUNT = '123456789012';

/**
 * A resource that does not exist (deleted since the event, or never created by a failed
 * call) is `not-found` for every type: never a snapshot that a policy would judge compliant.
 * One locator per type, in the shape that type's CloudTrail locators produce.
 */
const MISSING: Record<string, Omit<ResourceLocator, 'type' | 'account' | 'region'>[]> = {
  'AWS::EC2::SecurityGroup': [{ id: 'sg-0123456789abcdef0' }, { name: 'no-such-group' }],
  'AWS::DynamoDB::Table': [{ id: 'no-such-table' }],
  'AWS::RDS::Database': [{ id: 'db:no-such-db' }, { id: 'cluster:no-such-cluster' }],
  'AWS::Lambda::Function': [{ id: 'no-such-function' }],
  'AWS::SQS::Queue': [{ name: 'no-such-queue' }],
  'AWS::SNS::Subscription': [
    { id: `arn:aws:sns:${REGION}:${ACCOUNT}:no-such-topic:0b7c2e15-4d3a-4f8e-9a61-5c2d7e8f9a10` },
  ],
  'AWS::Events::Rule': [{ id: 'no-such-rule', name: 'no-such-rule' }],
  'AWS::S3::Bucket': [{ id: 'no-such-bucket-rampart' }],
  'AWS::CloudTrail::Trail': [{ name: 'no-such-trail' }],
  'AWS::KMS::Key': [{ id: '00000000-0000-4000-8000-000000000000' }],
  'AWS::Logs::LogGroup': [{ name: '/no/such/group' }],
  'AWS::SNS::Topic': [{ id: 'no-such-topic' }],
  'AWS::EC2::Instance': [{ id: 'i-0123456789abcdef0' }],
  'AWS::Lambda::EventSourceMapping': [{ id: '00000000-0000-4000-8000-000000000000' }],
  'AWS::RDS::Snapshot': [
    { id: 'snapshot:no-such-snapshot' },
    { id: 'cluster-snapshot:no-such-snapshot' },
  ],
  'AWS::IAM::Principal': [
    { id: 'role/no-such-role' },
    { id: 'user/no-such-user' },
    { id: 'group/no-such-group' },
    { id: `policy/arn:aws:iam::${ACCOUNT}:policy/no-such-policy` },
  ],
};

/** Types that always exist: an account-wide snapshot is the account itself. */
const ALWAYS_EXISTS: Record<string, string> = {
  'AWS::CloudTrail::AccountTrails': 'the account has a set of trails, possibly empty',
};

describe('a resource that does not exist is not-found, for every type (moto)', () => {
  const clients = new AwsClients({ maxAttempts: 1 });
  afterAll(() => clients.destroy());
  const catalog = defaultCatalog();

  it('covers every resource type of the catalog', () => {
    expect([...Object.keys(MISSING), ...Object.keys(ALWAYS_EXISTS)].sort()).toEqual(
      [...catalog.resourceTypes.keys()].sort(),
    );
  });

  it('an account-wide type answers a snapshot even for an account without any (no not-found)', async () => {
    const snapshot = await catalog.resourceTypes
      .get('AWS::CloudTrail::AccountTrails')!
      .collect(clients, {
        type: 'AWS::CloudTrail::AccountTrails',
        account: ACCOUNT,
        region: 'ap-northeast-2',
        id: ACCOUNT,
      });
    expect(snapshot).toMatchObject({ account: ACCOUNT });
  });

  for (const [type, locators] of Object.entries(MISSING)) {
    for (const locator of locators) {
      it(`${type} ${locator.id ?? locator.name}`, async () => {
        const snapshot = await catalog.resourceTypes
          .get(type)!
          .collect(clients, { type, account: ACCOUNT, region: REGION, ...locator });
        expect(snapshot).toBeUndefined();
      });
    }
  }
});
