import { EC2Client } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { createRampart } from '../../src/app';
import { AwsClients } from '../../src/aws/clients';
import { defaultCatalog } from '../../src/catalog';
import { ConfigError, parseConfig } from '../../src/config';
import { Catalog, CatalogError } from '../../src/engine/catalog';
import { defineRemediator, type AnyRemediator } from '../../src/engine/definitions';
import { policies } from '../../policies';
import { remediators } from '../../remediators';
import { resourceTypes } from '../../src/resources';
import { SECURITY_GROUP } from '../../src/resources/ec2-security-group';
import { authorizeIngressEvent } from '../support/cloudtrail';
import { OPEN_22, recordCalls, seedSecurityGroup } from '../support/ec2';

const silent = { write: () => true } as unknown as NodeJS.WritableStream;

/** A copy of a shipped remediator with other declared IAM actions. */
function withActions(read: string[], write: string[]): AnyRemediator {
  const base = remediators[0]!;
  return defineRemediator({ ...base, id: 'widened', iamActions: { read, write } });
}

function catalogWith(extra: AnyRemediator): Catalog {
  return new Catalog({ resourceTypes, policies, remediators: [...remediators, extra] });
}

function configProblems(raw: unknown): string[] {
  try {
    parseConfig(raw, defaultCatalog());
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('configuration was accepted');
}

describe('nothing can widen the remediation role', () => {
  it.each([
    { read: [], write: ['*'] },
    { read: [], write: ['ec2:*'] },
    { read: [], write: ['ec2:Revoke*'] },
    { read: ['*'], write: ['ec2:RevokeSecurityGroupIngress'] },
    { read: [], write: ['iam:*', 'ec2:RevokeSecurityGroupIngress'] },
    { read: [], write: ['ec2:RevokeSecurityGroupIngress', 'ec2 DeleteSecurityGroup'] },
    { read: [], write: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
  ])('the catalog refuses a remediator declaring $read / $write', ({ read, write }) => {
    expect(() => catalogWith(withActions(read, write))).toThrow(CatalogError);
    expect(() => catalogWith(withActions(read, write))).toThrow(/no wildcards|service:Action/);
  });

  it('the catalog refuses a remediator that declares no write action', () => {
    expect(() => catalogWith(withActions(['ec2:DescribeSecurityGroupRules'], []))).toThrow(
      /declares no IAM write actions/,
    );
  });

  it('every shipped remediator and resource type declares exact service:Action names', () => {
    const catalog = defaultCatalog();
    const actions = [
      ...[...catalog.remediators.values()].flatMap((r) => [
        ...r.iamActions.read,
        ...r.iamActions.write,
      ]),
      ...[...catalog.resourceTypes.values()].flatMap((t) => t.readActions),
    ];
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
  });

  it.each([
    [{ policies: { 'sg-no-public-ingress': { iamActions: ['*'] } } }, 'iamActions'],
    [
      { policies: { 'sg-no-public-ingress': { remediatorId: 'delete-everything' } } },
      'remediatorId',
    ],
    [{ remediators: { 'revoke-ingress': { write: ['ec2:*'] } } }, 'remediators'],
    [{ iam: { extraActions: ['s3:*'] } }, 'iam'],
    [
      { policies: { 'sg-no-public-ingress': { parameters: { actions: ['ec2:*'] } } } },
      'parameters.actions',
    ],
  ])('configuration cannot add IAM actions or swap remediators: %j', (raw, key) => {
    const problems = configProblems(raw);
    expect(problems.join('\n')).toContain(`${key}: unknown key; allowed:`);
  });

  it('configuration cannot exempt every principal as "Rampart\'s own role"', () => {
    for (const arn of [
      '*',
      'arn:aws:iam::123456789012:user/bob',
      'arn:aws:iam::*:role/RampartEvaluatorRole',
      'arn:aws:iam::123456789012:role/Rampart*',
      'arn:aws:sts::123456789012:assumed-role/RampartEvaluatorRole/x',
    ]) {
      expect(configProblems({ ownRole: { arns: [arn] } }).join('\n'), arn).toMatch(
        /ownRole\.arns\.0: expected an IAM role ARN, arn:aws:iam::<12-digit account>:role\/\[path\/\]<name> \(no users, no wildcards\)/,
      );
    }
    expect(configProblems({ ownRole: { roleNames: ['Rampart*'] } }).join('\n')).toMatch(
      /ownRole\.roleNames\.0: expected an exact IAM role name/,
    );
    expect(configProblems({ ownRole: { sessionNames: [] } }).join('\n')).toMatch(
      /ownRole\.sessionNames/,
    );
    expect(configProblems({ ownRole: { namePrefixes: ['R'] } }).join('\n')).toMatch(
      /ownRole\.namePrefixes: unknown key; allowed: roleNames, arns, sessionNames/,
    );
  });

  it('configuration cannot make the revert-war breaker unbounded', () => {
    const problems = configProblems({
      reliability: { revertBreaker: { maxReverts: 1_000_000, cooldownMinutes: 0 } },
    }).join('\n');
    expect(problems).toMatch(/reliability\.revertBreaker\.maxReverts/);
    expect(problems).toMatch(/reliability\.revertBreaker\.cooldownMinutes/);
    expect(configProblems({ reliability: { revertBreaker: { retries: 5 } } }).join('\n')).toMatch(
      /reliability\.revertBreaker\.retries: unknown key; allowed: enabled, maxReverts, windowMinutes, cooldownMinutes/,
    );
  });

  it('a revert through moto calls only the actions the catalog declares (security groups)', async () => {
    const region = 'eu-north-1';
    const clients = new AwsClients({ maxAttempts: 1 });
    const rampart = createRampart({ clients, logStream: silent });
    const calls = recordCalls(clients.get(EC2Client, { region, account: '123456789012' }));
    const direct = new EC2Client({ region });
    try {
      const groupId = await seedSecurityGroup(direct, [OPEN_22]);
      const result = await rampart.evaluator.handleEvent(
        authorizeIngressEvent(
          groupId,
          [{ protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' }],
          {},
          {
            region,
          },
        ),
      );
      expect(result.status === 'handled' && result.resources[0]!.outcomes[0]!.status).toBe(
        'reverted',
      );
      const catalog = defaultCatalog();
      const declared = new Set([
        ...catalog.resourceTypes.get(SECURITY_GROUP)!.readActions,
        ...catalog.remediators.get('revoke-ingress')!.iamActions.read,
        ...catalog.remediators.get('revoke-ingress')!.iamActions.write,
      ]);
      const used = [...new Set(calls.map((c) => `ec2:${c.replace(/Command$/, '')}`))];
      expect(used).toContain('ec2:RevokeSecurityGroupIngress');
      expect(used.filter((a) => !declared.has(a))).toEqual([]);
    } finally {
      clients.destroy();
      direct.destroy();
    }
  });
});
