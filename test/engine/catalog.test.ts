import type { ControlRef } from '../../src/engine/frameworks';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { policies } from '../../policies';
import { remediators } from '../../remediators';
import { defaultCatalog } from '../../src/catalog';
import { Catalog, CatalogError } from '../../src/engine/catalog';
import { MODES } from '../../src/domain';
import { PILLARS, SEVERITIES, type AnyRemediator } from '../../src/engine/definitions';
import { resourceTypes } from '../../src/resources';

describe('the shipped catalog', () => {
  const catalog = defaultCatalog();

  it('registers every policy with explicit, unique, kebab-case ids and full metadata', () => {
    expect(catalog.policies.size).toBe(policies.length);
    for (const policy of catalog.policies.values()) {
      expect(policy.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(policy.title.length, policy.id).toBeGreaterThan(10);
      expect(policy.rationale.length, policy.id).toBeGreaterThan(20);
      expect(SEVERITIES).toContain(policy.severity);
      expect(PILLARS).toContain(policy.pillar);
      expect(MODES).toContain(policy.defaultMode);
      expect(policy.triggers.length, policy.id).toBeGreaterThan(0);
      // Every parameter has a default: a policy must work with no configuration at all.
      expect(() => policy.parameters.parse({}), policy.id).not.toThrow();
    }
  });

  it('every remediator declares the IAM actions it needs, with no wildcard', () => {
    expect(catalog.remediators.size).toBe(remediators.length);
    for (const remediator of catalog.remediators.values()) {
      expect(remediator.iamActions.write.length, remediator.id).toBeGreaterThan(0);
      for (const action of [...remediator.iamActions.read, ...remediator.iamActions.write]) {
        expect(action, remediator.id).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
      }
    }
    for (const type of catalog.resourceTypes.values()) {
      for (const action of type.readActions)
        expect(action, type.type).toMatch(/^[a-z0-9-]+:(Describe|List|Get|Select)[A-Za-z0-9]*$/);
    }
  });
});

describe('Catalog consistency checks', () => {
  const base = { resourceTypes, policies, remediators };
  const revoke = remediators[0]!;
  const withRemediator = (r: Partial<AnyRemediator>) => ({
    ...base,
    remediators: remediators.map((x) => (x === revoke ? { ...revoke, ...r } : x)),
  });

  it('refuses a remediator that declares no write action', () => {
    expect(() => new Catalog(withRemediator({ iamActions: { read: [], write: [] } }))).toThrow(
      CatalogError,
    );
    expect(() => new Catalog(withRemediator({ iamActions: { read: [], write: [] } }))).toThrow(
      /declares no IAM write actions/,
    );
  });

  it('refuses a policy whose verdict reads tags on a type that cannot read them', () => {
    const sqsType = resourceTypes.find((t) => t.type === 'AWS::SQS::Queue')!;
    const tagless = { ...sqsType, readTags: undefined };
    const types = resourceTypes.map((t) => (t === sqsType ? tagless : t));
    expect(() => new Catalog({ ...base, resourceTypes: types })).toThrow(
      /policy sqs-has-dlq: readsTags, but resource type AWS::SQS::Queue has no readTags/,
    );
  });

  it('refuses a policy that reads failure senders on a type that cannot receive failures', () => {
    const sqsType = resourceTypes.find((t) => t.type === 'AWS::SQS::Queue')!;
    const types = resourceTypes.map((t) => (t === sqsType ? { ...t, receivesFailures: false } : t));
    expect(() => new Catalog({ ...base, resourceTypes: types })).toThrow(
      /policy sqs-has-dlq: readsFailureSenders, but resource type AWS::SQS::Queue does not receive failures/,
    );
  });

  it('refuses a type that sends failures but cannot be listed (its senders could not be found)', () => {
    const fnType = resourceTypes.find((t) => t.type === 'AWS::Lambda::Function')!;
    const types = resourceTypes.map((t) => (t === fnType ? { ...t, enumerate: undefined } : t));
    expect(() => new Catalog({ ...base, resourceTypes: types })).toThrow(
      /resource type AWS::Lambda::Function: failureDestinations, but no enumerator/,
    );
  });

  it('refuses a policy without controls, or with an unknown framework or a malformed control id', () => {
    const sg = policies.find((p) => p.id === 'sg-no-public-ingress')!;
    const withControls = (controls: unknown[]) => ({
      ...base,
      policies: policies.map((p) => (p === sg ? { ...p, controls: controls as ControlRef[] } : p)),
    });
    expect(() => new Catalog(withControls([]))).toThrow(
      /policy sg-no-public-ingress: controls is empty; name at least one control of aws-fsbp, cis-aws-foundations-3.0, aws-well-architected/,
    );
    expect(() => new Catalog(withControls([{ framework: 'pci-dss', id: '1.2.1' }]))).toThrow(
      /unknown framework "pci-dss" \(allowed: aws-fsbp, cis-aws-foundations-3.0, aws-well-architected\)/,
    );
    expect(() => new Catalog(withControls([{ framework: 'aws-fsbp', id: 'EC2-19' }]))).toThrow(
      /"EC2-19" is not a control id of AWS Foundational Security Best Practices/,
    );
    expect(
      () =>
        new Catalog(
          withControls([
            { framework: 'aws-fsbp', id: 'EC2.19' },
            { framework: 'aws-fsbp', id: 'EC2.19' },
          ]),
        ),
    ).toThrow(/aws-fsbp EC2.19 is listed twice/);
  });

  it('refuses wildcard or malformed IAM actions', () => {
    expect(
      () => new Catalog(withRemediator({ iamActions: { read: [], write: ['ec2:*'] } })),
    ).toThrow(/no wildcards/);
    expect(
      () =>
        new Catalog(
          withRemediator({
            iamActions: { read: ['*'], write: ['ec2:RevokeSecurityGroupIngress'] },
          }),
        ),
    ).toThrow(/no wildcards/);
    expect(
      () =>
        new Catalog(
          withRemediator({ iamActions: { read: [], write: ['RevokeSecurityGroupIngress'] } }),
        ),
    ).toThrow(/service:Action/);
  });

  it('refuses duplicate ids, unknown remediators and triggers its resource type cannot locate', () => {
    const sg = policies[0]!;
    expect(() => new Catalog({ ...base, policies: [sg, sg] })).toThrow(
      /duplicate policy sg-no-public-ingress/,
    );
    expect(() => new Catalog({ ...base, policies: [{ ...sg, remediatorId: 'nope' }] })).toThrow(
      /unknown remediator nope/,
    );
    expect(
      () => new Catalog({ ...base, policies: [{ ...sg, triggers: ['RunInstances'] }] }),
    ).toThrow(/trigger RunInstances cannot be located/);
    expect(
      () =>
        new Catalog({
          ...base,
          policies: [{ ...sg, resourceType: 'AWS::Nope', parameters: z.strictObject({}) }],
        }),
    ).toThrow(/unknown resource type/);
  });

  it('refuses a write outside the declared scopes (never a grant on "*")', () => {
    expect(
      () =>
        new Catalog(
          withRemediator({
            iamActions: { read: [], write: ['ec2:RevokeSecurityGroupIngress', 'sqs:CreateQueue'] },
          }),
        ),
    ).toThrow(/writes sqs:CreateQueue, outside its resource type's service \(ec2\): declare/);
  });

  it('refuses two different scopes for one service', () => {
    const wider = {
      service: 'sqs',
      arns: (p: string, a: string) => [`arn:${p}:sqs:*:${a}:*`, `arn:${p}:sqs:*:${a}:other*`],
      reason: 'wider',
    };
    expect(
      () =>
        new Catalog(
          withRemediator({
            iamActions: { read: [], write: ['ec2:RevokeSecurityGroupIngress', 'sqs:CreateQueue'] },
            alsoWrites: [wider],
          }),
        ),
    ).toThrow(/another IAM scope for sqs/);
  });

  it('refuses a resource type with missing or malformed declarations', () => {
    const sg = resourceTypes.find((t) => t.type === 'AWS::EC2::SecurityGroup')!;
    const withType = (patch: object) => ({
      ...base,
      resourceTypes: resourceTypes.map((t) => (t === sg ? { ...sg, ...patch } : t)),
    });
    expect(() => new Catalog(withType({ configResourceTypes: [] }))).toThrow(
      /configResourceTypes is empty: list the AWS Config types, or say why/,
    );
    expect(() => new Catalog(withType({ configResourceTypes: ['SecurityGroup'] }))).toThrow(
      /"SecurityGroup" is not AWS::Service::Type/,
    );
    expect(() => new Catalog(withType({ cloudFormationTypes: [] }))).toThrow(
      /has fromTemplate but no cloudFormationTypes/,
    );
    expect(
      () =>
        new Catalog(
          withType({
            iam: { ...sg.iam, arns: (p: string) => [`arn:${p}:ec2:*:*:security-group/*`] },
          }),
        ),
    ).toThrow(/is not an ARN of service ec2 in the account/);
    expect(() => new Catalog(withType({ iam: { ...sg.iam, service: 'EC2' } }))).toThrow(
      /"EC2" is not an IAM service prefix/,
    );
    expect(() => new Catalog(withType({ configResourceTypes: ['AWS::DynamoDB::Table'] }))).toThrow(
      /both claim AWS Config type AWS::DynamoDB::Table/,
    );
  });
});
