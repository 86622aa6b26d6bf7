import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createRampart } from '../../src/app';
import { AuditLog, createLogger, type AuditRecord } from '../../src/audit';
import { AwsClients } from '../../src/aws/clients';
import { createEvaluatorHandler } from '../../src/handlers/evaluator';
import { observe } from '../support/bad-input';
import { CLOUDTRAIL_RECORD_FIELDS, authorizeIngressEvent } from '../support/cloudtrail';

const REGION = 'me-south-1'; // this file's own region in the shared moto server

const ENVELOPE_KEYS = ['id', 'detail-type', 'source', 'account', 'region', 'detail'] as const;

function validEvent() {
  return authorizeIngressEvent(
    'sg-0123456789abcdef0',
    [{ protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' }],
    {},
    { region: REGION },
  );
}

/** Bodies from plain noise to valid events with one field broken. */
const bodies = fc.oneof(
  fc.string(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.nat({ max: 2000 }).map((n) => JSON.stringify(validEvent()).slice(0, n)),
  fc
    .tuple(fc.constantFrom(...ENVELOPE_KEYS), fc.jsonValue())
    .map(([key, value]) => JSON.stringify({ ...validEvent(), [key]: value })),
  fc.tuple(fc.constantFrom(...CLOUDTRAIL_RECORD_FIELDS), fc.jsonValue()).map(([key, value]) => {
    const event = validEvent();
    (event.detail as Record<string, unknown>)[key] = value;
    return JSON.stringify(event);
  }),
);

describe('SQS handler on arbitrary bodies (property-based)', () => {
  const audit: AuditRecord[] = [];
  const log = new AuditLog(
    createLogger({ stream: { write: () => true } as unknown as NodeJS.WritableStream }),
  );
  log.subscribe((r) => audit.push(r));
  const rampart = createRampart({ audit: log, clients: new AwsClients({ maxAttempts: 1 }) });
  const handler = createEvaluatorHandler(rampart);
  afterAll(() => rampart.clients.destroy());

  it('never crashes and accounts for every record (skipped, dead-lettered with a reason, or audited)', async () => {
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const observed = await observe(handler, audit, body);
        expect(['crash', 'unaccounted']).not.toContain(observed.kind);
        if (observed.kind === 'dead-letter') expect(observed.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
