import { describe, expect, it } from 'vitest';
import {
  actorOf,
  isReadOnly,
  normaliseEventTime,
  parseEvent,
  triggerEventOf,
} from '../../src/events/cloudtrail';
import { MalformedEventError } from '../../src/events/errors';
import { securityGroupType } from '../../src/resources/ec2-security-group';
import { envelopeOf, loadSample, sampleNames } from '../support/samples';

const where = { account: '123456789012', region: 'us-east-1' };

function record(name: string) {
  const parsed = parseEvent(envelopeOf(loadSample(name)));
  if (parsed.kind !== 'cloudtrail') throw new Error('not a CloudTrail record');
  return parsed.record;
}

describe('CloudTrail event adapter', () => {
  it('parses every bare-record sample, in an envelope and bare, or names the bad field', () => {
    const bare = sampleNames().filter((n) => {
      const s = loadSample(n);
      return 'eventName' in s && 'eventSource' in s;
    });
    expect(bare.length).toBeGreaterThan(25);
    for (const name of bare) {
      for (const input of [loadSample(name), envelopeOf(loadSample(name))]) {
        const parsed = parseEvent(input);
        expect(parsed.kind, name).toBe('cloudtrail');
      }
    }
  });

  it('reads the actor from standard and lower-cased (normalised) userIdentity keys', () => {
    expect(actorOf(record('panther__AuthorizeSecurityGroupIngress__1.json'))).toMatchObject({
      type: 'AssumedRole',
      arn: 'arn:aws:sts::112233445566:assumed-role/TestAdmin/alan',
      principalId: 'ARORJ4ULULLE0EEJAAKDO:alan',
      sessionIssuerArn: 'arn:aws:iam::112233445566:role/TestAdmin',
      sourceIPAddress: '136.25.37.134',
    });
    expect(actorOf(record('stratus__AuthorizeSecurityGroupIngress__1.json'))).toMatchObject({
      type: 'IAMUser',
      arn: 'arn:aws:iam::032092706103:user/christophe',
    });
    expect(actorOf(record('rust-lambda-events__UserAuthentication__1.json'))).toMatchObject({
      type: 'Unknown',
      arn: undefined,
    });
  });

  it('normalises event times to ISO-8601 UTC', () => {
    expect(normaliseEventTime('2024-08-01T12:23:55Z')).toBe('2024-08-01T12:23:55.000Z');
    expect(normaliseEventTime('2021-01-24 04:55:45.000')).toBe('2021-01-24T04:55:45.000Z');
    expect(() => normaliseEventTime('yesterday', 'e-1')).toThrow(/detail\.eventTime is not a date/);
    expect(triggerEventOf(record('panther__AuthorizeSecurityGroupIngress__1.json')).eventTime).toBe(
      '2021-01-24T04:55:45.000Z',
    );
  });

  it('treats records without readOnly by their verb', () => {
    expect(
      isReadOnly({ ...record('panther__CreateSecurityGroup__1.json'), readOnly: undefined }),
    ).toBe(false);
    expect(
      isReadOnly({
        ...record('panther__CreateSecurityGroup__1.json'),
        readOnly: undefined,
        eventName: 'DescribeSecurityGroups',
      }),
    ).toBe(true);
    expect(isReadOnly({ ...record('panther__CreateSecurityGroup__1.json'), readOnly: true })).toBe(
      true,
    );
  });

  it('names the missing or wrong field of a malformed event', () => {
    const cases: [unknown, RegExp][] = [
      ['just a string', /\(event\) must be a JSON object, got string/],
      [[1, 2], /got array/],
      [{ 'detail-type': 'AWS API Call via CloudTrail' }, /detail is missing/],
      [
        {
          'detail-type': 'AWS API Call via CloudTrail',
          detail: { eventSource: 'ec2.amazonaws.com' },
        },
        /detail\.eventID is missing/,
      ],
      [
        envelopeOf({ ...loadSample('panther__CreateSecurityGroup__1.json'), eventName: 42 }),
        /detail\.eventName/,
      ],
      [
        envelopeOf({
          ...loadSample('panther__CreateSecurityGroup__1.json'),
          requestParameters: 'x',
        }),
        /detail\.requestParameters/,
      ],
    ];
    for (const [input, message] of cases) {
      expect(() => parseEvent(input)).toThrow(MalformedEventError);
      expect(() => parseEvent(input)).toThrow(message);
    }
  });

  it('passes other detail-types through for the engine to skip', () => {
    expect(
      parseEvent({ 'detail-type': 'EC2 Instance State-change Notification', detail: {} }),
    ).toMatchObject({ kind: 'other' });
  });
});

describe('security group locators', () => {
  const locate = (name: string, overrides: Record<string, unknown> = {}) => {
    const r = { ...record(name), ...overrides };
    return securityGroupType.cloudTrail[r.eventName]!(r, where);
  };

  it('locate the group of nested, legacy flat and create forms', () => {
    expect(locate('panther__AuthorizeSecurityGroupIngress__1.json')).toEqual([
      { type: 'AWS::EC2::SecurityGroup', ...where, id: 'sg-04f0b44316f7d2471' },
    ]);
    expect(locate('stratus__AuthorizeSecurityGroupIngress__1.json')).toEqual([
      { type: 'AWS::EC2::SecurityGroup', ...where, id: 'sg-003dc7f1f1c686164' },
    ]);
    expect(locate('panther__CreateSecurityGroup__1.json')).toEqual([
      { type: 'AWS::EC2::SecurityGroup', ...where, id: 'sg-04d018d184a18f647' },
    ]);
  });

  it('locate a legacy group by name when the request has no id', () => {
    expect(
      locate('stratus__AuthorizeSecurityGroupIngress__1.json', {
        requestParameters: { groupName: 'default', cidrIp: '0.0.0.0/0' },
      }),
    ).toEqual([{ type: 'AWS::EC2::SecurityGroup', ...where, name: 'default' }]);
  });

  it('locate ModifySecurityGroupRules by its nested PascalCase request', () => {
    const modify = {
      eventName: 'ModifySecurityGroupRules',
      requestParameters: {
        ModifySecurityGroupRulesRequest: {
          GroupId: 'sg-9',
          SecurityGroupRule: { SecurityGroupRuleId: 'sgr-1' },
        },
      },
    };
    expect(locate('panther__CreateSecurityGroup__1.json', modify)).toEqual([
      { type: 'AWS::EC2::SecurityGroup', ...where, id: 'sg-9' },
    ]);
  });

  it('name the missing field instead of guessing', () => {
    expect(() =>
      locate('panther__AuthorizeSecurityGroupIngress__1.json', { requestParameters: null }),
    ).toThrow(/detail\.requestParameters\.groupId is missing/);
    expect(() =>
      locate('panther__CreateSecurityGroup__1.json', { responseElements: null }),
    ).toThrow(/detail\.responseElements\.groupId is missing/);
  });
});
