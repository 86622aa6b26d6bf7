import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleEvaluator } from '../../bench/bundle';

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
