import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/catalog';
import { resolveTemplate } from '../../src/cloudformation/resolved';
import { parseTemplate } from '../../src/cloudformation/template';

const catalog = defaultCatalog();

/** The subjects one resource type's adapter builds from a YAML template, by logical id. */
function subjects(type: string, yaml: string) {
  const template = resolveTemplate(parseTemplate(yaml, 't.yaml'));
  return Object.fromEntries(
    catalog.resourceTypes.get(type)!.fromTemplate!(template).map((s) => [
      s.logicalId,
      'snapshot' in s ? s.snapshot : { unknown: s.unknown },
    ]),
  );
}

describe('template adapters: edge cases', () => {
  it('SQS: a JSON-text RedrivePolicy, a literal DLQ ARN and FIFO names', () => {
    const s = subjects(
      'AWS::SQS::Queue',
      `
Resources:
  Work:
    Type: AWS::SQS::Queue
    Properties:
      FifoQueue: true
      QueueName: work
      RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:eu-west-1:123456789012:parking.fifo","maxReceiveCount":4}'
  Parking:
    Type: AWS::SQS::Queue
    Properties: { QueueName: parking, FifoQueue: true }
`,
    );
    expect(s.Work).toMatchObject({
      queueName: 'work.fifo',
      fifo: true,
      redrivePolicy: {
        deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:123456789012:parking.fifo',
        maxReceiveCount: 4,
      },
    });
    expect(s.Parking).toMatchObject({
      queueName: 'parking.fifo',
      deadLetterSourceQueueUrls: ['Work'],
    });
  });

  it('Lambda: a config on a version is not the function’s; an unresolvable one makes it unknown', () => {
    const s = subjects(
      'AWS::Lambda::Function',
      `
Parameters:
  Target: { Type: String }
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: { Role: r }
  OnVersion:
    Type: AWS::Lambda::EventInvokeConfig
    Properties:
      FunctionName: !Ref Fn
      Qualifier: '1'
      DestinationConfig: { OnFailure: { Destination: arn:aws:sqs:eu-west-1:123456789012:q } }
  Other:
    Type: AWS::Lambda::Function
    Properties: { Role: r }
  Somewhere:
    Type: AWS::Lambda::EventInvokeConfig
    Properties:
      FunctionName: !Ref Target
      Qualifier: $LATEST
`,
    );
    expect(s.Fn).toEqual({
      unknown: expect.stringContaining('Somewhere.FunctionName: parameter Target has no default'),
    });
    expect(s.Other).toEqual(s.Fn);
    const only = subjects(
      'AWS::Lambda::Function',
      `
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: { Role: r }
  OnVersion:
    Type: AWS::Lambda::EventInvokeConfig
    Properties:
      FunctionName: !Ref Fn
      Qualifier: '1'
      DestinationConfig: { OnFailure: { Destination: arn:aws:sqs:eu-west-1:123456789012:q } }
`,
    );
    expect(only.Fn).not.toHaveProperty('eventInvokeConfig');
  });

  it('IAM: an unresolvable Resource of a scoped statement is harmless; of a * statement it is unknown', () => {
    const s = subjects(
      'AWS::IAM::Principal',
      `
Resources:
  Scoped:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement: [{ Effect: Allow, Action: 's3:GetObject', Resource: !Sub 'arn:aws:s3:::\${AWS::AccountId}/*' }]
  Wide:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement: [{ Effect: Allow, Action: '*', Resource: !Sub 'arn:aws:s3:::\${AWS::AccountId}/*' }]
  Attached:
    Type: AWS::IAM::Role
    Properties:
      RoleName: app
      ManagedPolicyArns: [!Ref Everything]
  Everything:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: everything
      PolicyDocument: { Statement: [{ Effect: Allow, Action: '*', Resource: '*' }] }
      Users: [alice]
`,
    );
    expect(s.Scoped).toMatchObject({ kind: 'role', name: 'Scoped' });
    expect(s.Wide).toEqual({
      unknown: expect.stringContaining('Policies[0].PolicyDocument.Statement[0].Resource'),
    });
    expect(s.Attached).toMatchObject({
      name: 'app',
      attachedPolicies: [{ arn: 'everything', document: { Statement: [expect.anything()] } }],
    });
    expect(s.Everything).toMatchObject({
      kind: 'policy',
      attachments: [{ kind: 'user', name: 'alice' }],
    });
  });

  it('RDS: an explicit StorageEncrypted on a restore is judged; an Aurora member points at its cluster', () => {
    const s = subjects(
      'AWS::RDS::Database',
      `
Resources:
  Restored:
    Type: AWS::RDS::DBInstance
    Properties: { DBSnapshotIdentifier: s, StorageEncrypted: true }
  Cluster:
    Type: AWS::RDS::DBCluster
    Properties: { DBClusterIdentifier: main, Engine: aurora-mysql }
  Member:
    Type: AWS::RDS::DBInstance
    Properties: { DBClusterIdentifier: !Ref Cluster }
`,
    );
    expect(s.Restored).toMatchObject({ kind: 'instance', storageEncrypted: true });
    expect(s.Cluster).toMatchObject({
      kind: 'cluster',
      identifier: 'main',
      storageEncrypted: false,
    });
    expect(s.Member).toHaveProperty('clusterIdentifier'); // judged through the cluster, as live
  });
});
