/**
 * `npm run bench -- check`: `rampart check` over generated templates of 4,000 to 32,000
 * resources of every judged type (queues redriving to each other, functions with their
 * EventInvokeConfigs, IAM roles with policies, groups, tables, subscriptions, rules,
 * databases). Prints parse and judge time per size and per 1,000 resources: linear means the
 * per-1,000 figure stays flat as the template grows.
 */
import { defaultCatalog } from '../src/catalog';
import { checkTemplates } from '../src/check';
import { parseTemplate } from '../src/cloudformation/template';
import { parseConfig } from '../src/config';

const SIZES = [4_000, 8_000, 16_000, 32_000];

const KINDS: ((i: number) => [string, Record<string, unknown>])[] = [
  (i) => [
    'AWS::SQS::Queue',
    {
      QueueName: `q${i}`,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [`R${i - 10}`, 'Arn'] } },
    },
  ],
  (i) => ['AWS::Lambda::Function', { FunctionName: `f${i}`, Role: 'arn:aws:iam::1:role/x' }],
  (i) => [
    'AWS::Lambda::EventInvokeConfig',
    {
      FunctionName: { Ref: `R${i - 1}` },
      Qualifier: '$LATEST',
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:1:d' } },
    },
  ],
  () => [
    'AWS::EC2::SecurityGroup',
    {
      GroupDescription: 'x',
      SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }],
    },
  ],
  () => ['AWS::IAM::Role', { ManagedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] }],
  (i) => [
    'AWS::IAM::Policy',
    {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
      Roles: [{ Ref: `R${i - 1}` }],
    },
  ],
  () => ['AWS::DynamoDB::Table', {}],
  () => ['AWS::SNS::Subscription', { TopicArn: 'arn:aws:sns:us-east-1:1:t', Protocol: 'sqs' }],
  () => ['AWS::Events::Rule', { Targets: [{ Id: 't', Arn: 'arn:aws:sqs:us-east-1:1:q' }] }],
  () => ['AWS::RDS::DBInstance', { Engine: 'mysql' }],
];

function template(n: number): string {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    const [Type, Properties] = KINDS[i % KINDS.length]!(i);
    resources[`R${i}`] = { Type, Properties };
  }
  return JSON.stringify({ Resources: resources });
}

export async function run(): Promise<void> {
  const catalog = defaultCatalog();
  const config = parseConfig({}, catalog);
  const rows: string[] = [];
  for (const n of SIZES) {
    const text = template(n);
    const t0 = performance.now();
    const parsed = parseTemplate(text, `generated-${n}.json`);
    const t1 = performance.now();
    const report = checkTemplates([parsed], catalog, config);
    const t2 = performance.now();
    rows.push(
      [
        String(n).padStart(7),
        `${((t1 - t0) / 1000).toFixed(2)} s`.padStart(9),
        `${((t2 - t1) / 1000).toFixed(2)} s`.padStart(9),
        `${((t2 - t0) / n).toFixed(3)} s`.padStart(12),
        String(report.findings.length).padStart(9),
      ].join('  '),
    );
  }
  process.stdout.write(
    [
      '',
      'rampart check: generated templates (every judged type)',
      'resources      parse      judge  per 1,000    findings',
      ...rows,
      '',
    ].join('\n'),
  );
}
