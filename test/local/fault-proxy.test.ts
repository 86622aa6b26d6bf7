import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FaultProxyError,
  seededRandom,
  startFaultProxy,
  type FaultProxy,
} from '../../src/local/fault-proxy';
import { OPEN_22, ingressRules, seedSecurityGroup } from '../support/ec2';

const REGION = 'ap-south-1'; // this file's own region in the shared moto server

describe('fault proxy in front of moto', () => {
  let proxy: FaultProxy;
  const clients: { destroy(): void }[] = [];
  const through = <C extends { destroy(): void }>(
    Ctor: new (c: { region: string; endpoint: string; maxAttempts: number }) => C,
    maxAttempts = 1,
  ): C => {
    const c = new Ctor({ region: REGION, endpoint: proxy.endpoint, maxAttempts });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    proxy = await startFaultProxy({ target: process.env.AWS_ENDPOINT_URL!, seed: 7 });
  });
  beforeEach(() => {
    proxy.setRules([]);
    proxy.resetStats();
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await proxy.close();
  });

  it('passes calls through untouched and names them service:Operation', async () => {
    const ec2 = through(EC2Client);
    const out = await ec2.send(new DescribeSecurityGroupsCommand({}));
    expect(out.SecurityGroups?.length).toBeGreaterThan(0);
    await through(DynamoDBClient).send(new ListTablesCommand({}));
    expect(proxy.stats().calls).toEqual({
      'ec2:DescribeSecurityGroups': 1,
      'dynamodb:ListTables': 1,
    });
    expect(proxy.stats().forwarded).toBe(2);
  });

  it('throttles EC2 with RequestLimitExceeded and JSON APIs with ThrottlingException; the SDK retries both', async () => {
    proxy.setRules([{ api: '*', rate: 1, fault: { kind: 'throttle' } }]);
    const ec2 = through(EC2Client, 2);
    await expect(ec2.send(new DescribeSecurityGroupsCommand({}))).rejects.toMatchObject({
      name: 'RequestLimitExceeded',
      $metadata: { httpStatusCode: 503, attempts: 2 },
    });
    await expect(through(DynamoDBClient, 2).send(new ListTablesCommand({}))).rejects.toMatchObject({
      name: 'ThrottlingException',
      $metadata: { attempts: 2 },
    });
    await expect(
      through(STSClient, 1).send(new GetCallerIdentityCommand({})),
    ).rejects.toMatchObject({ name: 'Throttling' });
    expect(proxy.stats().forwarded).toBe(0);
  });

  it('injects only into the named API', async () => {
    proxy.setRules([
      { api: 'ec2:DescribeSecurityGroups', rate: 1, fault: { kind: 'server-error', status: 500 } },
    ]);
    await expect(
      through(EC2Client).send(new DescribeSecurityGroupsCommand({})),
    ).rejects.toMatchObject({ name: 'InternalError', $metadata: { httpStatusCode: 500 } });
    await expect(through(DynamoDBClient).send(new ListTablesCommand({}))).resolves.toBeDefined();
  });

  it('returns a service error the SDK does not retry (access denied)', async () => {
    proxy.setRules([
      {
        api: 'ec2:*',
        rate: 1,
        fault: { kind: 'error', status: 403, code: 'UnauthorizedOperation' },
      },
    ]);
    await expect(
      through(EC2Client, 3).send(new DescribeSecurityGroupsCommand({})),
    ).rejects.toMatchObject({ name: 'UnauthorizedOperation', $metadata: { attempts: 1 } });
    expect(proxy.stats().calls['ec2:DescribeSecurityGroups']).toBe(1);
  });

  it('resets the connection before moto, or after moto has made the change', async () => {
    const direct = new EC2Client({ region: REGION });
    clients.push(direct);
    const groupId = await seedSecurityGroup(direct, []);

    proxy.setRules([{ api: 'ec2:*', rate: 1, fault: { kind: 'reset' } }]);
    await expect(
      through(EC2Client).send(
        new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [OPEN_22] }),
      ),
    ).rejects.toThrow();
    expect(await ingressRules(direct, groupId)).toEqual([]);

    proxy.setRules([{ api: 'ec2:*', rate: 1, fault: { kind: 'reset-after' } }]);
    await expect(
      through(EC2Client).send(
        new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [OPEN_22] }),
      ),
    ).rejects.toThrow();
    // The client saw a failure, yet the rule exists: exactly the case retries must survive.
    expect((await ingressRules(direct, groupId)).map((r) => r.text)).toEqual([
      'tcp 22-22 0.0.0.0/0',
    ]);
  });

  it('adds latency', async () => {
    proxy.setRules([{ api: 'dynamodb:ListTables', rate: 1, fault: { kind: 'latency', ms: 250 } }]);
    const started = Date.now();
    await through(DynamoDBClient).send(new ListTablesCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect(proxy.stats().injected).toEqual({ 'dynamodb:ListTables latency': 1 });
  });

  it('injects at the given rate, reproducibly for a seed', async () => {
    const sts = through(STSClient);
    const run = async () => {
      proxy.setRules([{ api: 'sts:*', rate: 0.3, fault: { kind: 'throttle' } }], 42);
      const outcomes: boolean[] = [];
      for (let i = 0; i < 150; i++) {
        outcomes.push(
          await sts.send(new GetCallerIdentityCommand({})).then(
            () => true,
            () => false,
          ),
        );
      }
      return outcomes;
    };
    const first = await run();
    const failures = first.filter((ok) => !ok).length;
    expect(failures).toBeGreaterThan(25); // 45 expected
    expect(failures).toBeLessThan(70);
    expect(await run()).toEqual(first);
  });

  it('refuses a rate outside [0, 1]', () => {
    expect(() => proxy.setRules([{ api: '*', rate: 30, fault: { kind: 'throttle' } }])).toThrow(
      FaultProxyError,
    );
  });

  it('seeded random is uniform enough and deterministic', () => {
    const a = seededRandom(3);
    const b = seededRandom(3);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
