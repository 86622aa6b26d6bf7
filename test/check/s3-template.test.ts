import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/catalog';
import { checkTemplates } from '../../src/check';
import { parseTemplate } from '../../src/cloudformation/template';
import { parseConfig } from '../../src/config';

const catalog = defaultCatalog();
const config = parseConfig({}, catalog);

const TEMPLATE = `
Parameters:
  Blocked:
    Type: String
Resources:
  Locked:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        IgnorePublicAcls: true
        BlockPublicPolicy: true
        RestrictPublicBuckets: true
  HalfOpen:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        IgnorePublicAcls: true
  Bare:
    Type: AWS::S3::Bucket
  FromParameter:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: !Ref Blocked
        IgnorePublicAcls: true
        BlockPublicPolicy: true
        RestrictPublicBuckets: true
`;

describe('S3 buckets in templates (shift-left)', () => {
  const report = checkTemplates([parseTemplate(TEMPLATE, 'buckets.yaml')], catalog, config);
  const of = (id: string) =>
    report.findings
      .filter((f) => f.logicalId === id && f.ruleId === 's3-bucket-public-access-blocked')
      .map((f) => [f.status, f.message]);

  it('judges the PublicAccessBlockConfiguration the template declares', () => {
    expect(of('Locked')).toEqual([]);
    expect(of('HalfOpen')).toEqual([
      [
        'violation',
        'S3 bucket HalfOpen does not block public access: BlockPublicPolicy, RestrictPublicBuckets off.',
      ],
    ]);
    // Without a configuration every setting is off, as S3 itself treats it.
    expect(of('Bare')[0]![0]).toBe('violation');
  });

  it('a setting the template alone cannot resolve is unknown, never compliant', () => {
    expect(of('FromParameter')).toEqual([
      ['unknown', expect.stringContaining('PublicAccessBlockConfiguration.BlockPublicAcls')],
    ]);
  });
});
