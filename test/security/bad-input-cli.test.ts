import { EC2Client } from '@aws-sdk/client-ec2';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main';
import { authorizeIngressEvent } from '../support/cloudtrail';
import { OPEN_22, ingressRules, seedSecurityGroup } from '../support/ec2';

/**
 * Inputs found by fuzzing the CLI: each is a clear error naming the file, field or limit,
 * exit 2, never a crash, a retry or a hang, and nothing is written to AWS.
 */
const REGION = 'ap-south-1'; // this file's own region in the shared moto server
const dir = mkdtempSync(join(tmpdir(), 'rampart-bad-input-'));

function file(name: string, content: string | Buffer | object): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content),
  );
  return path;
}

async function rampart(...args: string[]) {
  let out = '';
  let err = '';
  const capture = (into: 'out' | 'err') => (chunk: string | Uint8Array) => {
    if (into === 'out') out += String(chunk);
    else err += String(chunk);
    return true;
  };
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture('out'));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture('err'));
  try {
    const code = await main(args);
    return { code, out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

const ALIAS_BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
].join('\n');

describe('bad input to the CLI: a clear error, exit 2, AWS untouched', () => {
  const ec2 = new EC2Client({ region: REGION });
  afterAll(() => ec2.destroy());

  it('an event whose awsRegion or account is no such thing is refused before any call', async () => {
    const groupId = await seedSecurityGroup(ec2, [OPEN_22]);
    const before = await ingressRules(ec2, groupId);
    const event = authorizeIngressEvent(
      groupId,
      [{ protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' }],
      {},
      { region: REGION },
    );
    const badRegion = structuredClone(event);
    badRegion.detail.awsRegion = '...';
    const region = await rampart('handle', file('region.json', badRegion));
    expect(region.code).toBe(2);
    expect(region.out).toBe('');
    expect(region.err).toMatch(
      /detail\.awsRegion "\.\.\.": expected an AWS region such as eu-west-1/,
    );

    const badAccount = structuredClone(event) as typeof event & { account: string };
    badAccount.detail.recipientAccountId = '12345';
    const account = await rampart('handle', file('account.json', badAccount));
    expect(account.code).toBe(2);
    expect(account.err).toMatch(
      /detail\.recipientAccountId "12345": expected a 12-digit AWS account id/,
    );
    expect(await ingressRules(ec2, groupId)).toEqual(before);
  });

  it('/dev/zero is refused at its size limit by every command that reads a file', async () => {
    const cases: [string[], RegExp][] = [
      [['handle', '/dev/zero'], /\/dev\/zero: an event is larger than 1,048,576 bytes, the limit/],
      [['check', '/dev/zero'], /\/dev\/zero: larger than 33,554,432 bytes, the limit/],
      [['simulate', '/dev/zero'], /larger than 67,108,864 bytes, the limit/],
      [
        ['handle', file('ok.json', {}), '--config', '/dev/zero'],
        /a configuration file is larger than 1,048,576 bytes, the limit/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = await rampart(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.err, args.join(' ')).toMatch(message);
    }
  });

  it('a YAML alias bomb in the configuration or a template: refused with the file and position', async () => {
    const config = await rampart(
      'check',
      file('t.json', { Resources: {} }),
      '--config',
      file('bomb.yaml', ALIAS_BOMB),
    );
    expect(config.code).toBe(2);
    expect(config.err).toMatch(/bomb\.yaml at line 2, column \d+: more than 100 alias expansions/);
    const template = await rampart(
      'check',
      file('bomb-template.yaml', `Resources: {}\n${ALIAS_BOMB}`),
    );
    expect(template.code).toBe(2);
    expect(template.err).toMatch(/bomb-template\.yaml:3:\d+: more than 100 alias expansions/);
  });

  it('a gzip bomb given to simulate stops at the decompressed limit', async () => {
    const bomb = file('bomb.json.gz', gzipSync(Buffer.alloc(257 * 1024 * 1024, 0x20)));
    const run = await rampart('simulate', bomb, '--dry-run');
    expect(run.code).toBe(2);
    expect(run.err).toMatch(
      /bomb\.json\.gz: decompresses to more than 268,435,456 bytes, the limit/,
    );
  });

  it('!Select with AWS::NoValue, or an index that is no number, is an invalid template', async () => {
    const noValue = await rampart(
      'check',
      file(
        'novalue.yaml',
        [
          'Resources:',
          '  Queue:',
          '    Type: AWS::SQS::Queue',
          '    Properties:',
          '      QueueName: !Select [!Ref AWS::NoValue, [a, b]]',
        ].join('\n'),
      ),
    );
    expect(noValue.code).toBe(2);
    expect(noValue.err).toMatch(/novalue\.yaml: Fn::Select: argument 1 is AWS::NoValue/);
    const notNumber = await rampart(
      'check',
      file(
        'index.yaml',
        [
          'Resources:',
          '  Queue:',
          '    Type: AWS::SQS::Queue',
          '    Properties:',
          '      QueueName: !Select [first, [a, b]]',
        ].join('\n'),
      ),
    );
    expect(notNumber.code).toBe(2);
    expect(notNumber.err).toMatch(
      /Fn::Select: the index must be a non-negative integer, got "first"/,
    );
  });
});
