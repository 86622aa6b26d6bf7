import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/catalog';
import { toOcsfFinding, type OcsfFindingInput } from '../../src/reporters/ocsf';
import { ocsfProblems } from '../support/ocsf-schema';

const catalog = defaultCatalog();
const sg = catalog.policies.get('sg-no-public-ingress')!;
const ARN = 'arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0123456789abcdef0';
const input = (over: Partial<OcsfFindingInput> = {}): OcsfFindingInput => ({
  policy: sg,
  uid: `rampart/sg-no-public-ingress/${ARN}`,
  message: 'tcp 22 open to 0.0.0.0/0',
  activity: 'create',
  status: 'new',
  compliance: 'fail',
  resource: {
    uid: ARN,
    name: 'sg-0123456789abcdef0',
    type: 'AWS::EC2::SecurityGroup',
    region: 'eu-west-1',
    partition: 'aws',
  },
  account: '123456789012',
  region: 'eu-west-1',
  time: Date.UTC(2026, 11, 4, 10, 0, 0),
  product: { version: '1.2.3' },
  ...over,
});

describe('OCSF 1.1.0 Compliance Findings', () => {
  it('is a schema-valid class 2003 finding carrying the policy, its controls and the resource', () => {
    const finding = toOcsfFinding(input());
    expect(ocsfProblems(finding)).toEqual([]);
    expect(finding).toMatchObject({
      class_uid: 2003,
      category_uid: 2,
      activity_id: 1,
      type_uid: 200301, // class_uid × 100 + activity_id
      severity_id: 4, // high
      status_id: 1,
      time: 1796378400000,
      metadata: { version: '1.1.0', product: { name: 'Rampart', version: '1.2.3' } },
      finding_info: { uid: `rampart/sg-no-public-ingress/${ARN}`, title: sg.title },
      compliance: { status_id: 3, control: 'sg-no-public-ingress' },
      resources: [{ uid: ARN, type: 'AWS::EC2::SecurityGroup', region: 'eu-west-1' }],
      cloud: { provider: 'AWS', region: 'eu-west-1', account: { uid: '123456789012' } },
    });
    expect((finding.compliance as { requirements: string[] }).requirements).toContain(
      'AWS Foundational Security Best Practices EC2.19',
    );
    expect((finding.compliance as { standards: string[] }).standards).toContain(
      'CIS AWS Foundations Benchmark v3.0.0',
    );
  });

  it('maps each lifecycle to its activity, workflow and compliance ids, all schema-valid', () => {
    const cases: [Partial<OcsfFindingInput>, number, number, number][] = [
      [
        { activity: 'update', status: 'suppressed', compliance: 'fail', statusDetail: 'excepted' },
        200302,
        3,
        3,
      ],
      [{ activity: 'close', status: 'resolved', compliance: 'pass' }, 200303, 4, 1],
      [{ compliance: 'unknown', statusDetail: 'error: boom' }, 200301, 1, 0],
    ];
    for (const [over, typeUid, statusId, complianceId] of cases) {
      const f = toOcsfFinding(input(over));
      expect(ocsfProblems(f)).toEqual([]);
      expect([f.type_uid, f.status_id, (f.compliance as { status_id: number }).status_id]).toEqual([
        typeUid,
        statusId,
        complianceId,
      ]);
    }
  });

  it('the schema bites: an invented attribute, a wrong class or a time in seconds as a string fails', () => {
    const f = toOcsfFinding(input());
    expect(
      ocsfProblems({ ...f, finding_info: { ...(f.finding_info as object), titel: 'x' } }),
    ).not.toEqual([]);
    expect(ocsfProblems({ ...f, class_uid: 2004 })).not.toEqual([]);
    expect(ocsfProblems({ ...f, time: '2026-12-04T10:00:00Z' })).not.toEqual([]);
    const noMetadata: Record<string, unknown> = { ...f };
    delete noMetadata.metadata;
    expect(ocsfProblems(noMetadata)).not.toEqual([]);
  });

  it('keeps hostile strings as data', () => {
    const f = toOcsfFinding(
      input({ message: '"}]\u0000<script>', resource: { ...input().resource, name: '\u202e' } }),
    );
    expect(ocsfProblems(f)).toEqual([]);
    expect(JSON.parse(JSON.stringify(f)).message).toBe('"}]\u0000<script>');
  });
});
