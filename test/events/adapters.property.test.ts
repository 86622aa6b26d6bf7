import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/catalog';
import {
  accountOf,
  isReadOnly,
  normaliseEventTime,
  parseEvent,
  triggerEventOf,
} from '../../src/events/cloudtrail';
import { MalformedEventError } from '../../src/events/errors';
import { idempotencyKeyOf } from '../../src/reliability/idempotency';
import { intakeOf } from '../../src/engine/sources';
import { AwsClients } from '../../src/aws/clients';
import { parseConfig } from '../../src/config';
import {
  SECURITY_GROUP,
  normalisePort,
  normaliseProtocol,
  securityGroupType,
} from '../../src/resources/ec2-security-group';
import { CLOUDTRAIL_RECORD_FIELDS, authorizeIngressEvent } from '../support/cloudtrail';

/** Runs the whole adapter chain the evaluator runs before any AWS call. */
function adapt(input: unknown) {
  const parsed = parseEvent(input);
  if (parsed.kind !== 'cloudtrail') return parsed;
  const trigger = triggerEventOf(parsed.record);
  isReadOnly(parsed.record);
  const account = accountOf(parsed.record, parsed.envelope) ?? '123456789012';
  const locate = securityGroupType.cloudTrail[parsed.record.eventName];
  const locators = locate?.(parsed.record, { account, region: parsed.record.awsRegion }) ?? [];
  return { parsed, trigger, locators };
}

/** Only MalformedEventError, naming a field, may escape the adapters. */
function expectOnlyMalformed(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedEventError);
    expect((error as MalformedEventError).field.length).toBeGreaterThan(0);
  }
}

const SG_EVENTS = Object.keys(securityGroupType.cloudTrail);

describe('event adapters never fail on odd input except with MalformedEventError (property-based)', () => {
  it('parseEvent and the chain after it, on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => expectOnlyMalformed(() => adapt(value))),
      { numRuns: 500 },
    );
  });

  it('a valid security-group event with one field replaced by anything', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CLOUDTRAIL_RECORD_FIELDS),
        fc.oneof(fc.jsonValue(), fc.constant(undefined)),
        fc.constantFrom(...SG_EVENTS),
        (field, value, eventName) => {
          const event = authorizeIngressEvent('sg-0123456789abcdef0', [
            { protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' },
          ]);
          const detail = event.detail as Record<string, unknown>;
          detail.eventName = eventName;
          detail[field] = value;
          expectOnlyMalformed(() => adapt(event));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('security-group locators: a located group has a non-empty id or name, else the field is named', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SG_EVENTS),
        fc.oneof(
          fc.jsonValue(),
          fc.record({ groupId: fc.jsonValue() }, { requiredKeys: [] }),
          fc.record({ groupName: fc.jsonValue() }, { requiredKeys: [] }),
          fc.record({ ModifySecurityGroupRulesRequest: fc.record({ GroupId: fc.jsonValue() }) }),
        ),
        fc.oneof(fc.jsonValue(), fc.record({ groupId: fc.jsonValue() })),
        (eventName, requestParameters, responseElements) => {
          const record = {
            eventID: 'e-1',
            eventName,
            eventSource: 'ec2.amazonaws.com',
            eventTime: '2026-01-01T00:00:00Z',
            awsRegion: 'us-east-1',
            requestParameters: requestParameters as Record<string, unknown>,
            responseElements: responseElements as Record<string, unknown>,
          };
          const where = { account: '123456789012', region: 'us-east-1' };
          try {
            const locators = securityGroupType.cloudTrail[eventName]!(record, where);
            expect(locators.length).toBeGreaterThan(0);
            for (const l of locators) {
              expect(l).toMatchObject({ type: SECURITY_GROUP, ...where });
              const key = l.id ?? l.name;
              expect(typeof key === 'string' && key.length > 0).toBe(true);
            }
          } catch (error) {
            expect(error).toBeInstanceOf(MalformedEventError);
            expect((error as MalformedEventError).field).toMatch(
              /^detail\.(requestParameters|responseElements)\./,
            );
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('event times: any instant in either CloudTrail spelling normalises to the same ISO string', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1970-01-01T00:00:00Z'),
          max: new Date('2999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (date) => {
          const iso = date.toISOString();
          expect(normaliseEventTime(iso)).toBe(iso);
          const panther = iso.replace('T', ' ').replace('Z', '');
          expect(normaliseEventTime(panther)).toBe(iso);
        },
      ),
    );
    fc.assert(
      fc.property(fc.string(), (raw) => {
        try {
          expect(Number.isNaN(Date.parse(normaliseEventTime(raw)))).toBe(false);
        } catch (error) {
          expect(error).toBeInstanceOf(MalformedEventError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('ports and protocols normalise to one spelling whatever comes in', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (raw) => {
        const port = normalisePort(raw);
        expect(port === undefined || (Number.isInteger(port) && port >= 0)).toBe(true);
      }),
      // Found by this property: an object whose toString is not a function made Number() throw.
      { numRuns: 500, examples: [[{ toString: [] }], [{ valueOf: 'x' }]] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer(), fc.jsonValue()), (raw) => {
        const once = normaliseProtocol(raw);
        expect(once).toBe(once.toLowerCase());
        expect(normaliseProtocol(once)).toBe(once);
      }),
      { numRuns: 500, examples: [[{ toString: [] }]] },
    );
  });

  it('the intake refuses only with MalformedEventError, and its idempotency key ignores the envelope id', () => {
    const catalog = defaultCatalog();
    const deps = { catalog, config: parseConfig({}, catalog), clients: new AwsClients() };
    const keyOf = (input: unknown) => {
      try {
        return idempotencyKeyOf(intakeOf(deps, input, 0));
      } catch (error) {
        expect(error).toBeInstanceOf(MalformedEventError);
        return undefined;
      }
    };
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const key = keyOf(value);
        expect(key === undefined || key.resources.length > 0).toBe(true);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), (a, b) => {
        const event = authorizeIngressEvent('sg-0123456789abcdef0', [
          { protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' },
        ]);
        const first = keyOf({ ...event, id: a });
        expect(first).toBeDefined();
        expect(keyOf({ ...event, id: b })).toEqual(first);
      }),
      { numRuns: 50 },
    );
  });
});
