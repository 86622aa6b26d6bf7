import Ajv from 'ajv-draft-04';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/catalog';
import { checkTemplates } from '../../src/check';
import { toSarif } from '../../src/check/format';
import { loadTemplates } from '../../src/cloudformation/template';
import { parseConfig } from '../../src/config';
import { REPO_ROOT } from '../support/samples';

const catalog = defaultCatalog();
const config = parseConfig({}, catalog);
const corpus = (ext: string) => join(REPO_ROOT, `test/fixtures/templates/policy-pack.${ext}`);

/** Every finding of the corpus; a resource not listed here was judged compliant. */
const EXPECTED = {
  'TableBad/dynamodb-encrypted-kms': 'violation',
  'GlobalTableBad/dynamodb-encrypted-kms': 'violation',
  'TableUnknown/dynamodb-encrypted-kms': 'unknown',
  'SuppressedTable/dynamodb-encrypted-kms': 'suppressed',
  'DbBad/rds-encrypted': 'violation',
  'ClusterBad/rds-encrypted': 'violation',
  'DbRestoredUnknown/rds-encrypted': 'unknown',
  'QueueBad/sqs-has-dlq': 'violation',
  'QueueUnknown/sqs-has-dlq': 'unknown',
  'FnBad/lambda-has-dlq': 'violation',
  'FnUnknown/lambda-has-dlq': 'unknown',
  'SubBad/sns-subscription-has-dlq': 'violation',
  'RuleBad/eventbridge-target-has-dlq': 'violation',
  'RuleUnknown/eventbridge-target-has-dlq': 'unknown',
  'AdminUserBad/iam-no-admin-access': 'violation',
  'InlineAdminRoleBad/iam-no-admin-access': 'violation',
  'AdminPolicyBad/iam-no-admin-access': 'violation',
  'ImportedArnsUnknown/iam-no-admin-access': 'unknown',
  'DbPublicBad/rds-not-public': 'violation',
  'DbRestoredUnknown/rds-not-public': 'unknown',
  'QueueSseOffBad/sqs-encrypted': 'violation',
  'QueueUnknown/sqs-encrypted': 'unknown',
  'TrailBad/cloudtrail-logging-on': 'violation',
  'KeyBad/kms-key-rotation-enabled': 'violation',
  'LogsBad/logs-retention-set': 'violation',
  'Topic/sns-topic-encrypted': 'violation',
  'TableBad/dynamodb-pitr-enabled': 'violation',
  'GlobalTableBad/dynamodb-pitr-enabled': 'violation',
  'TableUnknown/dynamodb-pitr-enabled': 'unknown',
  'TableBad/dynamodb-deletion-protection-enabled': 'violation',
  'GlobalTableBad/dynamodb-deletion-protection-enabled': 'violation',
  'TableUnknown/dynamodb-deletion-protection-enabled': 'unknown',
  'DbBad/rds-deletion-protection-enabled': 'violation',
  'ClusterBad/rds-deletion-protection-enabled': 'violation',
  'DbRestoredUnknown/rds-deletion-protection-enabled': 'unknown',
  'DbBad/rds-backup-retention-set': 'violation',
  'ClusterBad/rds-backup-retention-set': 'violation',
  'DbRestoredUnknown/rds-backup-retention-set': 'unknown',
  'DbBad/rds-multi-az': 'violation',
  'DbRestoredUnknown/rds-multi-az': 'unknown',
  'BucketHttpBad/s3-bucket-ssl-only': 'violation',
  'BucketPolicyUnknown/s3-bucket-ssl-only': 'unknown',
  // The bucket's subject is one: a Deny that cannot be resolved leaves both policies unknown.
  'BucketPolicyUnknown/s3-bucket-public-access-blocked': 'unknown',
  'FnLegacyBad/lambda-runtime-supported': 'violation',
  'FnLegacyBad/lambda-tracing-active': 'violation',
  'FnLegacyBad/lambda-arm64': 'violation',
  'FnLegacyBad/lambda-memory-above-minimum': 'violation',
  'FnUnknown/lambda-runtime-supported': 'unknown',
  'FnUnknown/lambda-tracing-active': 'unknown',
  'FnUnknown/lambda-arm64': 'unknown',
  'FnUnknown/lambda-memory-above-minimum': 'unknown',
  'FnBad/lambda-not-public': 'violation',
  'FnBad/lambda-function-url-auth': 'violation',
  'FnUnknown/lambda-not-public': 'unknown',
  'FnUnknown/lambda-function-url-auth': 'unknown',
  'EsmBad/sqs-visibility-covers-function': 'violation',
  'EsmUnknown/sqs-visibility-covers-function': 'unknown',
  // Counted apart: neither compliant nor a finding to fix.
  'ClusterMemberOk/rds-encrypted': 'not-applicable',
  'DeadLetters/sqs-has-dlq': 'not-applicable',
  'QueueNamedDlqOk/sqs-has-dlq': 'not-applicable',
  'SubEmailOk/sns-subscription-has-dlq': 'not-applicable',
  'ClusterBad/rds-not-public': 'not-applicable',
  'SigningKeyOk/kms-key-rotation-enabled': 'not-applicable',
  'ClusterMemberOk/rds-deletion-protection-enabled': 'not-applicable',
  'ClusterMemberOk/rds-backup-retention-set': 'not-applicable',
  'ClusterMemberOk/rds-multi-az': 'not-applicable',
  'ClusterBad/rds-multi-az': 'not-applicable',
};

// Every resource of a policy's CloudFormation types is judged, compliant ones included; a
// resource judged by several policies counts once.
const JUDGED = {
  // dynamodb-encrypted-kms, -pitr-enabled and -deletion-protection-enabled: TableOk, TableBad, TableIfOk,
  // GlobalTableBad, TableUnknown, SuppressedTable.
  'dynamodb tables': 6,
  // rds-encrypted, -not-public, -deletion-protection-enabled, -backup-retention-set and
  // -multi-az judge the same six databases, each counted once.
  'rds databases': 6,
  // s3-bucket-public-access-blocked and s3-bucket-ssl-only: BucketSslOk, BucketHttpBad,
  // BucketPolicyUnknown.
  's3 buckets': 3,
  // sqs-has-dlq and sqs-encrypted judge the same six queues.
  'sqs-has-dlq, sqs-encrypted': 6,
  // lambda-has-dlq, -runtime-supported, -tracing-active, -arm64, -memory-above-minimum,
  // -not-public and -function-url-auth.
  'lambda functions': 5,
  'sqs-visibility-covers-function': 3, // EsmOk, EsmBad, EsmUnknown
  'cloudtrail-logging-on': 2,
  'kms-key-rotation-enabled': 3,
  'logs-retention-set': 2,
  'sns-topic-encrypted': 2, // Topic, TopicOk
  'sns-subscription-has-dlq': 3,
  'eventbridge-target-has-dlq': 3,
  'iam-no-admin-access': 7, // Role, AdminUserBad, InlineAdminRoleBad, ReaderGroupOk, AdminPolicyBad, ScopedPolicyOk, ImportedArnsUnknown
};

describe.each(['yaml', 'json'])('rampart check on the policy-pack corpus (%s)', (ext) => {
  const report = checkTemplates(loadTemplates(corpus(ext)), catalog, config);

  it('gives each policy its expected verdicts: violations, unknowns, suppressions, compliant twins', () => {
    expect(
      Object.fromEntries(report.findings.map((f) => [`${f.logicalId}/${f.ruleId}`, f.status])),
    ).toEqual(EXPECTED);
    expect(report.summary.resourcesJudged).toBe(Object.values(JUDGED).reduce((a, b) => a + b, 0));
  });

  it('counts not-applicable pairs apart, as SARIF notApplicable results of level none', () => {
    expect(report.summary.notApplicable).toBe(10);
    expect(report.summary.violations).toBe(
      Object.values(EXPECTED).filter((s) => s === 'violation').length,
    );
    const results = toSarif(report, catalog, '0.0.0', REPO_ROOT).runs[0]!.results!;
    const na = results.filter((r) => r.kind === 'notApplicable');
    expect(na.map((r) => [r.ruleId, r.level]).sort()).toEqual(
      [
        ['rds-encrypted', 'none'],
        ['rds-not-public', 'none'],
        ['rds-deletion-protection-enabled', 'none'],
        ['rds-backup-retention-set', 'none'],
        ['rds-multi-az', 'none'],
        ['rds-multi-az', 'none'],
        ['kms-key-rotation-enabled', 'none'],
        ['sns-subscription-has-dlq', 'none'],
        ['sqs-has-dlq', 'none'],
        ['sqs-has-dlq', 'none'],
      ].sort(),
    );
    expect(results.filter((r) => r.kind === 'fail').every((r) => r.level !== 'none')).toBe(true);
  });

  it('names the property and the reason of every unknown', () => {
    const reason = (id: string) => report.findings.find((f) => f.logicalId === id)!.message;
    expect(reason('TableUnknown')).toContain('SSESpecification.SSEEnabled');
    expect(reason('TableUnknown')).toContain('Fn::ImportValue');
    expect(reason('DbRestoredUnknown')).toContain('DBSnapshotIdentifier');
    expect(reason('BucketPolicyUnknown')).toContain(
      'BucketPolicyUnknownPolicy.PolicyDocument.Statement[0].Condition',
    );
    expect(reason('QueueUnknown')).toContain('RedrivePolicy');
    expect(reason('FnUnknown')).toContain('DeadLetterConfig.TargetArn: parameter DlqArn');
    expect(reason('RuleUnknown')).toContain('Targets[0].DeadLetterConfig.Arn');
    expect(reason('ImportedArnsUnknown')).toContain('ManagedPolicyArns[0]');
  });

  it('names the offending element: the target without DLQ, the admin attachment', () => {
    const message = (id: string) => report.findings.find((f) => f.logicalId === id)!.message;
    expect(message('RuleBad')).toMatch(/without a dead-letter queue: lost\.$/);
    expect(message('AdminUserBad')).toContain('arn:aws:iam::aws:policy/AdministratorAccess');
    expect(message('InlineAdminRoleBad')).toContain('inline policy everything');
    expect(message('AdminPolicyBad')).toContain('role Role');
  });

  it('produces schema-valid SARIF with the line of each resource', () => {
    const sarif = toSarif(report, catalog, '0.0.0', REPO_ROOT);
    const schemaPath = createRequire(import.meta.url).resolve(
      '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json',
    );
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const lines = readFileSync(corpus(ext), 'utf8').split('\n');
    for (const r of sarif.runs[0]!.results!) {
      const name = r.locations![0]!.logicalLocations![0]!.name!;
      const line = r.locations![0]!.physicalLocation!.region!.startLine!;
      expect(lines[line - 1], name).toContain(`${name}`);
    }
  });
});
