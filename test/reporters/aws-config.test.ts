import { ConfigServiceClient, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRampart } from '../../src/app';
import { AwsClients } from '../../src/aws/clients';
import type { Outcome, ResourceRef, TriggerEvent } from '../../src/domain';
import type { ReportContext } from '../../src/engine/evaluator';
import {
  AwsConfigReporter,
  AwsConfigReportError,
  toConfigEvaluation,
} from '../../src/reporters/aws-config';
import { cloudTrailEnvelope } from '../support/cloudtrail';

const trigger: TriggerEvent = {
  source: 'cloudtrail',
  eventId: 'e1',
  eventName: 'CreateQueue',
  eventSource: 'sqs.amazonaws.com',
  eventTime: '2026-11-23T10:00:00.000Z',
};
const ref = (id: string, region = 'eu-west-1'): ResourceRef => ({
  partition: 'aws',
  account: '123456789012',
  region,
  type: 'AWS::SQS::Queue',
  id,
  arn: `arn:aws:sqs:${region}:123456789012:${id}`,
});
const compliant = (policyId: string, id: string): ReportContext => ({
  trigger,
  resource: ref(id),
  evaluation: { policyId, resource: ref(id), status: 'compliant' },
});
const violating = (outcome: Partial<Outcome>, message = 'queue q has no DLQ'): ReportContext => ({
  trigger,
  resource: ref('q'),
  evaluation: {
    policyId: 'sqs-has-dlq',
    resource: ref('q'),
    status: 'violation',
    violation: { policyId: 'sqs-has-dlq', resource: ref('q'), message, elements: [] },
  },
  outcome: {
    policyId: 'sqs-has-dlq',
    changes: [],
    timings: { receivedAt: trigger.eventTime },
    status: 'notified',
    ...outcome,
  },
});

describe('AWS Config reporting: evaluation mapping', () => {
  it('maps compliant and reverted to COMPLIANT, anything else to NON_COMPLIANT, errors to nothing', () => {
    expect(toConfigEvaluation(compliant('sqs-has-dlq', 'a'))).toEqual({
      ComplianceResourceType: 'AWS::SQS::Queue',
      ComplianceResourceId: 'a',
      ComplianceType: 'COMPLIANT',
      Annotation: 'Compliant when evaluated by Rampart.',
      OrderingTimestamp: new Date(trigger.eventTime),
    });
    expect(
      toConfigEvaluation(violating({ status: 'reverted', changes: ['set RedrivePolicy'] })),
    ).toMatchObject({
      ComplianceType: 'COMPLIANT',
      Annotation: 'Reverted by Rampart: set RedrivePolicy',
    });
    expect(toConfigEvaluation(violating({ status: 'notified' }))?.ComplianceType).toBe(
      'NON_COMPLIANT',
    );
    expect(
      toConfigEvaluation(violating({ status: 'failed', error: 'AccessDenied' }))?.Annotation,
    ).toBe('queue q has no DLQ Remediation failed: AccessDenied');
    expect(
      toConfigEvaluation({
        trigger,
        resource: ref('q'),
        evaluation: { policyId: 'p', resource: ref('q'), status: 'error', error: 'x' },
      }),
    ).toBeUndefined();
  });

  it('keeps annotations within the 256 characters Config accepts', () => {
    const annotation = toConfigEvaluation(
      violating({ status: 'notified' }, 'x'.repeat(500)),
    )!.Annotation!;
    expect(annotation).toHaveLength(256);
    expect(annotation.endsWith('…')).toBe(true);
  });
});

describe('AWS Config reporting: PutEvaluations batching (Config mocked: moto needs TestMode)', () => {
  const config = mockClient(ConfigServiceClient);
  const clients = new AwsClients({ maxAttempts: 1 });
  afterEach(() => config.reset());
  afterAll(() => {
    config.restore();
    clients.destroy();
  });

  it('sends at most 100 evaluations per call, one token per rule, region by region', async () => {
    config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
    const reporter = new AwsConfigReporter(clients, { resultToken: (rule) => `token-for-${rule}` });
    for (let i = 0; i < 250; i++) await reporter.report(compliant('sqs-has-dlq', `q${i}`));
    for (let i = 0; i < 3; i++) await reporter.report(compliant('rds-encrypted', `db${i}`));
    // Two full batches went out as soon as they were full.
    expect(
      config.commandCalls(PutEvaluationsCommand).map((c) => c.args[0].input.Evaluations!.length),
    ).toEqual([100, 100]);
    expect(reporter.pendingCount).toBe(53);
    await reporter.flush();
    const calls = config.commandCalls(PutEvaluationsCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => [c.ResultToken, c.Evaluations!.length])).toEqual([
      ['token-for-rampart-sqs-has-dlq', 100],
      ['token-for-rampart-sqs-has-dlq', 100],
      ['token-for-rampart-sqs-has-dlq', 50],
      ['token-for-rampart-rds-encrypted', 3],
    ]);
    expect(
      new Set(calls.flatMap((c) => c.Evaluations!.map((e) => e.ComplianceResourceId))).size,
    ).toBe(253);
    expect(calls.every((c) => c.TestMode === undefined)).toBe(true);
    expect(reporter.pendingCount).toBe(0);
  });

  it('reports refused evaluations with the rule, and still sends the other rules', async () => {
    config
      .on(PutEvaluationsCommand, { ResultToken: 'rampart-sqs-has-dlq' })
      .resolves({
        FailedEvaluations: [
          {
            ComplianceResourceType: 'AWS::SQS::Queue',
            ComplianceResourceId: 'a',
            ComplianceType: 'COMPLIANT',
            OrderingTimestamp: new Date(),
          },
        ],
      })
      .on(PutEvaluationsCommand, { ResultToken: 'rampart-rds-encrypted' })
      .resolves({});
    const reporter = new AwsConfigReporter(clients, { resultToken: (rule) => rule });
    await reporter.report(compliant('sqs-has-dlq', 'a'));
    await reporter.report(compliant('rds-encrypted', 'db'));
    const error = await reporter.flush().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsConfigReportError);
    expect((error as AwsConfigReportError).message).toBe(
      'PutEvaluations for rampart-sqs-has-dlq: refused AWS::SQS::Queue a',
    );
    expect((error as AwsConfigReportError).failed).toHaveLength(1);
    expect(config.commandCalls(PutEvaluationsCommand)).toHaveLength(2);
  });
});

describe('AWS Config reporting end to end (moto, TestMode)', () => {
  it('publishes the evaluation of a handled event and moto accepts the call shape', async () => {
    const region = 'eu-south-1';
    const clients = new AwsClients({ maxAttempts: 1 });
    const reporter = new AwsConfigReporter(clients, {
      resultToken: () => 'test-token',
      testMode: true,
    });
    const sent: unknown[] = [];
    clients.get(ConfigServiceClient, { region, account: '123456789012' }).middlewareStack.add(
      (next) => async (args) => {
        sent.push((args as { input: unknown }).input);
        return next(args);
      },
      { step: 'initialize', name: 'capture-put-evaluations' },
    );
    const rampart = createRampart({ clients, reporters: [reporter] });
    const sqs = new SQSClient({ region });
    try {
      const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'reported-dlq' }))).QueueUrl!;
      await rampart.evaluator.handleEvent(
        cloudTrailEnvelope(
          {
            eventSource: 'sqs.amazonaws.com',
            eventName: 'CreateQueue',
            requestParameters: { queueName: 'reported-dlq' },
            responseElements: { queueUrl: url },
          },
          { region },
        ),
      );
      expect(reporter.pendingCount).toBe(1);
      await reporter.flush();
      expect(sent).toEqual([
        {
          Evaluations: [
            expect.objectContaining({
              ComplianceResourceType: 'AWS::SQS::Queue',
              ComplianceResourceId: url,
              // A queue named *-dlq is itself a dead-letter queue: the policy does not concern it.
              ComplianceType: 'NOT_APPLICABLE',
            }),
          ],
          ResultToken: 'test-token',
          TestMode: true,
        },
      ]);
    } finally {
      sqs.destroy();
      clients.destroy();
    }
  });
});
