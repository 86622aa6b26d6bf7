import { describe, expect, it } from 'vitest';
import { organizationSchema } from '../../src/config/organization';
import { coverageOf, graceUntil } from '../../src/organization/coverage';

const PROD = 'ou-ab12-prod0001';
const SANDBOX = 'ou-ab12-sandbox01';
const ROOT = 'r-ab12';
const settings = organizationSchema.parse({
  organizationalUnits: [PROD],
  exclude: { organizationalUnits: [SANDBOX], accounts: ['111111111111'] },
  gracePeriodDays: 14,
});

describe('coverageOf: ids match exactly, exclusions win', () => {
  it('covers an account anywhere under a covered OU', () => {
    expect(coverageOf('222222222222', [PROD, ROOT], settings).status).toBe('covered');
    expect(coverageOf('222222222222', ['ou-ab12-team0001', PROD, ROOT], settings).status).toBe(
      'covered',
    );
  });
  it('an excluded OU below a covered one excludes, and so does an excluded account id', () => {
    expect(coverageOf('222222222222', [SANDBOX, PROD, ROOT], settings)).toMatchObject({
      status: 'excluded',
      reason: expect.stringContaining(SANDBOX),
    });
    expect(coverageOf('111111111111', [PROD, ROOT], settings).status).toBe('excluded');
  });
  it('look-alike ids (a prefix, a suffix, another case) neither cover nor exclude', () => {
    expect(coverageOf('222222222222', ['ou-ab12-prod00011', ROOT], settings).status).toBe(
      'outside',
    );
    expect(coverageOf('222222222222', ['ou-ab12-prod000', ROOT], settings).status).toBe('outside');
    expect(coverageOf('222222222222', ['ou-ab12-sandbox011', PROD, ROOT], settings).status).toBe(
      'covered',
    );
    expect(coverageOf('1111111111110', [PROD, ROOT], settings).status).toBe('covered');
  });
  it('the root covers every account when it is the covered parent', () => {
    const all = organizationSchema.parse({ organizationalUnits: [ROOT] });
    expect(coverageOf('333333333333', ['ou-ab12-any00001', ROOT], all).status).toBe('covered');
    expect(coverageOf('333333333333', [], all).status).toBe('outside');
  });
});

describe('graceUntil', () => {
  const day = 24 * 3600 * 1000;
  const enrolled = '2026-01-01T00:00:00.000Z';
  it('runs gracePeriodDays from enrolment, then is over', () => {
    const t0 = Date.parse(enrolled);
    expect(graceUntil(enrolled, settings, t0 + 13 * day)).toBe('2026-01-15T00:00:00.000Z');
    expect(graceUntil(enrolled, settings, t0 + 14 * day)).toBeUndefined();
    expect(graceUntil(enrolled, { ...settings, gracePeriodDays: 0 }, t0)).toBeUndefined();
  });
  it('an unreadable date gives no grace rather than a forever one', () => {
    expect(graceUntil('not a date', settings, Date.parse(enrolled))).toBeUndefined();
  });
  it('the schema names the field and the allowed values', () => {
    const bad = organizationSchema.safeParse({ organizationalUnits: ['prod'] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({
      path: ['organizationalUnits', 0],
      message: expect.stringContaining('ou-xxxx-xxxxxxxx'),
    });
  });
});
