import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/catalog';
import { checkTemplates } from '../../src/check';
import { resolveTemplate } from '../../src/cloudformation/resolved';
import { parseTemplate, TemplateError } from '../../src/cloudformation/template';
import { parseConfig } from '../../src/config';

const catalog = defaultCatalog();
const config = parseConfig({}, catalog);

const intrinsic = fc.oneof(
  // Object.prototype's keys as names: a lookup table must not find them.
  fc.record({
    Ref: fc.constantFrom(
      'P',
      'Q',
      'AWS::Region',
      'AWS::NoValue',
      'R1',
      'Nope',
      'constructor',
      '__proto__',
      'toString',
    ),
  }),
  fc.record({
    'Fn::GetAtt': fc.tuple(fc.constantFrom('R1', 'R2', 'Gone'), fc.constantFrom('Arn', 'GroupId')),
  }),
  fc.record({ 'Fn::Sub': fc.constantFrom('${P}-x', '${R1.Arn}', '${!Literal}', '${Q}') }),
  fc.record({ 'Fn::If': fc.tuple(fc.constantFrom('C', 'Missing'), fc.string(), fc.integer()) }),
  fc.record({ 'Fn::ImportValue': fc.string() }),
  fc.record({
    'Fn::Join': fc.tuple(
      fc.string({ maxLength: 2 }),
      fc.array(fc.oneof(fc.string(), fc.record({ Ref: fc.constant('P') })), { maxLength: 3 }),
    ),
  }),
);
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    intrinsic,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('v'), { maxKeys: 3 }),
  ),
})).v;
const ingress = fc.record({
  IpProtocol: fc.oneof(fc.constantFrom('tcp', 'udp', '-1', 'icmp', '6', 50), value),
  FromPort: fc.oneof(fc.integer({ min: -1, max: 70000 }), value),
  ToPort: fc.oneof(fc.integer({ min: -1, max: 70000 }), value),
  CidrIp: fc.oneof(fc.constantFrom('0.0.0.0/0', '10.0.0.0/8'), value),
});
const template = fc.record({
  Parameters: fc.constant({ P: { Type: 'String', Default: '0.0.0.0/0' }, Q: { Type: 'String' } }),
  Conditions: fc.constant({ C: { 'Fn::Equals': [{ Ref: 'P' }, '0.0.0.0/0'] } }),
  Resources: fc.dictionary(
    fc.constantFrom('R1', 'R2', 'R3', 'R4'),
    fc.record({
      Type: fc.constantFrom(
        'AWS::EC2::SecurityGroup',
        'AWS::EC2::SecurityGroupIngress',
        'AWS::S3::Bucket',
      ),
      Properties: fc.oneof(
        fc.record({ SecurityGroupIngress: fc.oneof(fc.array(ingress, { maxLength: 3 }), value) }),
        ingress,
        value,
      ),
      Metadata: fc.oneof(
        fc.constant(undefined),
        fc.record({ rampart: fc.record({ suppress: value }) }),
      ),
    }),
    { minKeys: 1 },
  ),
});

describe('template parser and checker (property-based)', () => {
  it('never throws on any well-typed template, however odd its values: every resource gets a verdict', () => {
    fc.assert(
      fc.property(template, (t) => {
        const parsed = parseTemplate(JSON.stringify(t), 't.json');
        resolveTemplate(parsed);
        const report = checkTemplates([parsed], catalog, config);
        for (const f of report.findings)
          expect(['violation', 'unknown', 'error', 'suppressed']).toContain(f.status);
      }),
      { numRuns: 300 },
    );
  });

  it('throws only TemplateError, naming the file, on arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        try {
          parseTemplate(text, 'x.yaml');
        } catch (error) {
          expect(error).toBeInstanceOf(TemplateError);
          expect((error as Error).message.startsWith('x.yaml')).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('names that are Object.prototype keys', () => {
  it('a Ref to constructor, toString or __proto__ is unknown with a reason, never a function', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const text = JSON.stringify({
        Resources: {
          Sg: {
            Type: 'AWS::EC2::SecurityGroup',
            Properties: {
              GroupDescription: 'x',
              SecurityGroupIngress: [
                { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: { Ref: name } },
              ],
            },
          },
        },
      });
      const report = checkTemplates([parseTemplate(text, 't.json')], catalog, config);
      const finding = report.findings.find((f) => f.ruleId === 'sg-no-public-ingress');
      expect(finding?.status, name).toBe('unknown');
      expect(finding?.message, name).toContain(`Ref to ${name}`);
    }
  });
});
