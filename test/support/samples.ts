import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, '../..');
/**
 * Verbatim copies of ../shared/cloudtrail-samples (public samples by others; licences in
 * INDEX.md), kept in the repo so a fresh clone's tests do not depend on a sibling folder.
 */
export const SAMPLES_DIR = join(REPO_ROOT, 'test/fixtures/cloudtrail-samples');
export const SHARED_SAMPLES_DIR = resolve(REPO_ROOT, '../shared/cloudtrail-samples');

export function sampleNames(): string[] {
  return readdirSync(SAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

export function loadSample(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(SAMPLES_DIR, name), 'utf8')) as Record<string, unknown>;
}

/** Wraps a bare CloudTrail record in the EventBridge envelope the bus would deliver. */
export function envelopeOf(record: Record<string, unknown>) {
  return {
    version: '0',
    id: `envelope-${String(record.eventID)}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: `aws.${String(record.eventSource).split('.')[0]}`,
    account: String(record.recipientAccountId ?? '123456789012'),
    time: String(record.eventTime),
    region: String(record.awsRegion),
    resources: [],
    detail: record,
  };
}
