import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleEvaluator } from '../../bench/bundle';
import { App, Stack, aws_lambda as lambda } from 'aws-cdk-lib';
import {
  EVALUATOR_ENTRY,
  HANDLER,
  LambdaBundlingError,
  buildLambda,
  lambdaCode,
  type LambdaBundle,
} from '../../infra/bundling';
import { roundTrip } from './sdk-round-trip';

// Imports the bundle in a fresh process and hands it one event that needs no AWS call.
const PROBE = `
const { handler } = await import(process.argv[2]);
try {
  const result = await handler({ version: '0', id: 'probe', 'detail-type': 'Scheduled Event',
    source: 'aws.events', account: '123456789012', region: 'us-east-1', resources: [], detail: {} });
  process.stderr.write('RESULT ' + JSON.stringify(result) + '\\n');
} catch (error) {
  process.stderr.write('ERROR ' + error.name + ': ' + error.message + '\\n');
}
`;

describe('the evaluator bundle, as deployed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bundle-test-'));
  let bundle = '';
  beforeAll(async () => {
    bundle = await bundleEvaluator(dir);
    writeFileSync(join(dir, 'probe.mjs'), PROBE);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const runProbe = (env: Record<string, string>) =>
    spawnSync(process.execPath, [join(dir, 'probe.mjs'), pathToFileURL(bundle).href], {
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'us-east-1',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        ...env,
      },
      encoding: 'utf8',
      timeout: 30_000,
    }).stderr;

  it('is one minified ES module with its source map', () => {
    expect(statSync(bundle).size).toBeGreaterThan(100_000);
    expect(statSync(`${bundle}.map`).size).toBeGreaterThan(0);
  });

  it('runs from RAMPART_CONFIG_JSON alone, outside the repository', () => {
    const out = runProbe({
      RAMPART_CONFIG_JSON: '{"policies":{"sg-no-public-ingress":{"mode":"notify"}}}',
    });
    expect(out).toContain('RESULT {"status":"skipped"');
    expect(out).toContain('"code":"unsupported-detail-type"');
  });

  it('says plainly that it reads no YAML file', () => {
    const file = join(dir, 'rampart.config.yaml');
    writeFileSync(file, 'policies: {}\n');
    expect(runProbe({ RAMPART_CONFIG: file })).toContain('ERROR YamlUnavailableError');
  });
});

describe('the SDK clients, bundled as deployed (infra/sdk-tree-shaking.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-sdk-bundle-'));
  let bundle: LambdaBundle;
  beforeAll(async () => {
    bundle = await buildLambda(join(import.meta.dirname, 'sdk-round-trip.ts'), dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const bytesFrom = (pattern: RegExp) =>
    Object.entries(Object.values(bundle.metafile.outputs).find((o) => o.entryPoint)!.inputs)
      .filter(([file]) => pattern.test(file))
      .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);

  it('keeps only the schemas of the commands used, and only the version of each manifest', () => {
    // EC2's whole schema file is ≈ 550 kB minified; the five commands above need a few kB.
    expect(bytesFrom(/client-ec2\/dist-es\/schemas\//)).toBeLessThan(20_000);
    expect(bytesFrom(/client-ec2\/dist-es\/schemas\//)).toBeGreaterThan(0);
    expect(bytesFrom(/@aws-sdk\/client-[^/]+\/package\.json$/)).toBeLessThan(6 * 100);
  });

  it('answers exactly as the unbundled clients do, modeled errors included', async () => {
    const script = `const { roundTrip } = await import(process.argv[1]);
      process.stdout.write(JSON.stringify(await roundTrip(process.argv[2])));`;
    const child = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        script,
        pathToFileURL(bundle.outfile).href,
        `bundled-${randomUUID()}`,
      ],
      { env: process.env, encoding: 'utf8', timeout: 30_000 },
    );
    expect(child.status, child.stderr).toBe(0);
    const bundled = JSON.parse(child.stdout);
    const unbundled = await roundTrip(`unbundled-${randomUUID()}`);
    expect(bundled).toEqual(unbundled);
    expect(unbundled).toEqual({
      ingress: [[true, 'tcp', 443, 443, '203.0.113.0/24', 'office']],
      group: [[true, 'bundle', 1]],
      functions: true,
      errors: {
        rds: 'DBInstanceNotFoundFault 404',
        dynamodb: 'ResourceNotFoundException 400',
        iam: 'NoSuchEntityException 404',
        lambda: 'ResourceNotFoundException 404',
        sqs: 'QueueDoesNotExist 400',
      },
    });
  });
});

describe("the stacks' code assets", () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-asset-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const functionWith = (app: App, code: lambda.Code) =>
    new lambda.Function(new Stack(app, 'Assets'), 'Handler', {
      code,
      handler: HANDLER,
      runtime: lambda.Runtime.NODEJS_22_X,
    });

  it('are the very bundle the bench measures', async () => {
    const app = new App({ outdir: join(dir, 'cdk.out') });
    functionWith(app, lambdaCode(EVALUATOR_ENTRY));
    const assembly = app.synth();
    const asset = readdirSync(assembly.directory).find((f) => f.startsWith('asset.'));
    expect(readdirSync(join(assembly.directory, asset!)).sort()).toEqual([
      'index.mjs',
      'index.mjs.map',
    ]);
    const measured = await buildLambda(EVALUATOR_ENTRY, join(dir, 'bench'));
    expect(readFileSync(join(assembly.directory, asset!, 'index.mjs'), 'utf8')).toBe(
      readFileSync(measured.outfile, 'utf8'),
    );
  }, 60_000);

  it('fail the synthesis with the entry named when bundling fails', () => {
    const missing = join(dir, 'no-such-handler.ts');
    const app = new App({ outdir: join(dir, 'cdk.out.missing') });
    // CDK wraps the error in its own "Failed to bundle asset" message.
    expect(() => functionWith(app, lambdaCode(missing))).toThrow(
      `${new LambdaBundlingError(missing, '').message}exit 1`,
    );
  }, 60_000);
});
