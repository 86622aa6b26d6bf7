import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { defaultCatalog } from '../../src/catalog';
import { main } from '../../src/cli/main';
import type { EventResult } from '../../src/engine/evaluator';
import { REPO_ROOT, SAMPLES_DIR, sampleNames } from '../support/samples';

const EVENTS_DIR = join(REPO_ROOT, 'test/fixtures/events');
const syntheticFiles = readdirSync(EVENTS_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

/** Bare records and envelopes (files `rampart handle` takes as they are) with their event name. */
interface Fixture {
  file: string;
  eventSource?: string;
  eventName?: string;
  errorCode?: string;
}

function fixtureFiles(): Fixture[] {
  const files = [
    ...syntheticFiles.map((f) => join(EVENTS_DIR, f)),
    ...sampleNames().map((f) => join(SAMPLES_DIR, f)),
  ];
  return files.flatMap((file) => {
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (Array.isArray(json) || 'Records' in json || 'invokingEvent' in json || 'Type' in json)
      return [];
    if ('configurationItemStatus' in json) return []; // a bare item, not an event
    const detail = ('detail' in json ? json.detail : json) as Record<string, unknown>;
    return [
      {
        file,
        eventSource: detail.eventSource as string | undefined,
        eventName: detail.eventName as string | undefined,
        errorCode: detail.errorCode as string | undefined,
      },
    ];
  });
}

async function handle(file: string): Promise<{ code: number; out: string; err: string }> {
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
    const code = await main(['handle', file, '--dry-run']);
    return { code, out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

/** `eventSource|eventName` of every trigger: a record labelled with another service is not one. */
function triggerKeys(): Set<string> {
  const catalog = defaultCatalog();
  return new Set(
    [...catalog.policies.values()].flatMap((p) =>
      p.triggers.map((t) => `${catalog.resourceTypes.get(p.resourceType)!.eventSource}|${t}`),
    ),
  );
}

// A real sample whose request was redacted to null: not an event Rampart can act on.
// Stratus Red Team's samples carry generated, non-existent regions: refused before any call.
const MALFORMED: Record<string, string> = {
  'panther__PutUserPolicy__2.json': 'detail.requestParameters.userName is missing',
  'stratus__AttachRolePolicy__1.json': 'detail.awsRegion "',
  'stratus__AttachUserPolicy__1.json': 'detail.awsRegion "',
  'stratus__AuthorizeSecurityGroupIngress__1.json': 'detail.awsRegion "',
  'stratus__UpdateFunctionConfiguration20150331v2__1.json': 'detail.awsRegion "',
};

describe('`rampart handle` works for every trigger event of the catalog', () => {
  const fixtures = fixtureFiles();
  afterAll(() => vi.restoreAllMocks());

  it('has a real or synthetic fixture for every trigger event name', () => {
    const triggers = triggerKeys();
    const covered = new Set(fixtures.map((f) => `${f.eventSource}|${f.eventName}`));
    const missing = [...triggers].filter((t) => !covered.has(t)).sort();
    expect(missing).toEqual([]);
  });

  it.each(Object.entries(MALFORMED))(
    '%s is refused naming the field (exit 2)',
    async (name, why) => {
      const { code, out, err } = await handle(join(SAMPLES_DIR, name));
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toContain(why);
    },
  );

  const wellFormed = fixtures.filter((f) => !MALFORMED[f.file.split('/').pop()!]);
  it.each(wellFormed.map((f) => [f.file.slice(REPO_ROOT.length + 1), f] as const))(
    '%s is classified without a crash',
    async (_name, fixture) => {
      const { code, out, err } = await handle(fixture.file);
      expect(err).not.toMatch(/^rampart: /m);
      const result = JSON.parse(out) as EventResult;
      // 0 handled, 1 a resource could not be read (e.g. GetResourceConfigHistory); never 2 (bad input).
      expect([0, 1]).toContain(code);
      expect(['handled', 'skipped']).toContain(result.status);
      if (triggerKeys().has(`${fixture.eventSource}|${fixture.eventName}`) && !fixture.errorCode) {
        expect(result.status, JSON.stringify(result)).toBe('handled');
      }
      if (fixture.errorCode)
        expect(result).toMatchObject({ status: 'skipped', code: 'failed-call' });
      if (result.status === 'handled') {
        for (const r of result.resources) {
          expect(['evaluated', 'not-found', 'error']).toContain(r.status);
          if (r.status === 'error') expect(r.error).toMatch(/^cannot read /);
          // Dry run: a violation is only ever reported, never remediated.
          expect(r.outcomes.every((o) => o.status !== 'reverted')).toBe(true);
        }
      }
    },
  );
});
