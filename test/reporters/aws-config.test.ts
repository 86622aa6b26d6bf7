import { ConfigServiceClient, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AwsClients } from '../../src/aws/clients';
import type { Evaluation, ResourceRef } from '../../src/domain';
import {
  AwsConfigReportError,
  putEvaluations,
  toConfigEvaluation,
} from '../../src/reporters/aws-config';

const AT = '2026-11-23T10:00:00.000Z';
const ref: ResourceRef = {
  partition: 'aws',
  account: '123456789012',
  region: 'eu-west-1',
  type: 'AWS::IAM::Principal',
  id: 'deploy-bot',
  arn: 'arn:aws:iam::123456789012:role/deploy-bot',
};
// Config's own key for the role: its type and the role id, not Rampart's type and name.
const key = { resourceType: 'AWS::IAM::Role', resourceId: 'AROAEXAMPLEROLEID0001' };
const violation = (message: string): Evaluation => ({
  policyId: 'iam-no-admin-access',
  resource: ref,
  status: 'violation',
  violation: { policyId: 'iam-no-admin-access', resource: ref, message, elements: [] },
});

describe('AWS Config evaluations: mapping', () => {
  it("names the resource by Config's type and id, with each verdict's compliance type", () => {
    expect(
      toConfigEvaluation({ policyId: 'p', resource: ref, status: 'compliant' }, key, AT),
    ).toEqual({
      ComplianceResourceType: 'AWS::IAM::Role',
      ComplianceResourceId: 'AROAEXAMPLEROLEID0001',
      ComplianceType: 'COMPLIANT',
      Annotation: 'Compliant when evaluated by Rampart.',
      OrderingTimestamp: new Date(AT),
    });
    expect(toConfigEvaluation(violation('role has AdministratorAccess'), key, AT)).toMatchObject({
      ComplianceType: 'NON_COMPLIANT',
      Annotation: 'role has AdministratorAccess',
    });
    expect(
      toConfigEvaluation(
        { policyId: 'p', resource: ref, status: 'not-applicable', reason: 'a service role' },
        key,
        AT,
      ),
    ).toMatchObject({
      ComplianceType: 'NOT_APPLICABLE',
      Annotation: 'Not applicable: a service role',
    });
  });

  it('claims nothing for an error: an error is never compliant', () => {
    expect(
      toConfigEvaluation({ policyId: 'p', resource: ref, status: 'error', error: 'x' }, key, AT),
    ).toBeUndefined();
  });

  it('keeps annotations within the 256 characters Config accepts', () => {
    const annotation = toConfigEvaluation(violation('x'.repeat(500)), key, AT)!.Annotation!;
    expect(annotation).toHaveLength(256);
    expect(annotation.endsWith('…')).toBe(true);
  });
});

describe('AWS Config evaluations: PutEvaluations batching (Config mocked: moto needs TestMode)', () => {
  const config = mockClient(ConfigServiceClient);
  const clients = new AwsClients({ maxAttempts: 1 });
  afterEach(() => config.reset());
  afterAll(() => {
    config.restore();
    clients.destroy();
  });
  const evaluations = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      toConfigEvaluation(
        { policyId: 'p', resource: ref, status: 'compliant' },
        { resourceType: 'AWS::SQS::Queue', resourceId: `q${i}` },
        AT,
      )!,
    );
  const request = (n: number, testMode = false) => ({
    ruleName: 'rampart-sqs-has-dlq',
    scope: { account: '123456789012', region: 'eu-west-1' },
    resultToken: 'token-of-this-invocation',
    testMode,
    evaluations: evaluations(n),
  });

  it('sends at most 100 evaluations per call, all with the invocation token and no TestMode', async () => {
    config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
    expect(await putEvaluations(clients, request(250))).toEqual({ calls: 3 });
    const calls = config.commandCalls(PutEvaluationsCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => [c.ResultToken, c.Evaluations!.length, c.TestMode])).toEqual([
      ['token-of-this-invocation', 100, undefined],
      ['token-of-this-invocation', 100, undefined],
      ['token-of-this-invocation', 50, undefined],
    ]);
    expect(
      new Set(calls.flatMap((c) => c.Evaluations!.map((e) => e.ComplianceResourceId))).size,
    ).toBe(250);
  });

  it('sets TestMode only for a test-mode invocation', async () => {
    config.on(PutEvaluationsCommand).resolves({});
    await putEvaluations(clients, request(1, true));
    expect(config.commandCalls(PutEvaluationsCommand)[0]!.args[0].input.TestMode).toBe(true);
  });

  it('names refused evaluations and still sends every other chunk', async () => {
    config
      .on(PutEvaluationsCommand)
      .resolvesOnce({
        FailedEvaluations: [
          {
            ComplianceResourceType: 'AWS::SQS::Queue',
            ComplianceResourceId: 'q7',
            ComplianceType: 'COMPLIANT',
            OrderingTimestamp: new Date(AT),
          },
        ],
      })
      .rejectsOnce(new Error('ThrottlingException'))
      .resolves({});
    const error = await putEvaluations(clients, request(250)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsConfigReportError);
    expect((error as AwsConfigReportError).message).toBe(
      'PutEvaluations for rampart-sqs-has-dlq: refused AWS::SQS::Queue q7; 100 evaluation(s) not sent: ThrottlingException',
    );
    expect((error as AwsConfigReportError).failed).toHaveLength(101);
    expect(config.commandCalls(PutEvaluationsCommand)).toHaveLength(3);
  });
});
