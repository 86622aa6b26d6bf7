import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { INPUT_LIMITS, readBoundedFile } from '../io/bounded-read';
import type { EventResult, Evaluator } from '../engine/evaluator';
import { errorMessage } from '../errors';
import { MalformedEventError } from '../events/errors';

export class ReplayInputError extends Error {
  override readonly name = 'ReplayInputError';
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/** One replayed event and what became of it. */
export interface ReplayRow {
  file: string;
  /** Position of the event in its file (Records index), from 0. */
  index: number;
  eventId?: string;
  eventName?: string;
  status: 'handled' | 'skipped' | 'malformed' | 'failed';
  /** Skip or malformed reason, or the resources with their decisions/outcomes in short. */
  detail: string;
  result?: EventResult;
}

/** Every `.json` / `.json.gz` under a path (a file is taken as it is). */
export function replayFiles(path: string): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new ReplayInputError('does not exist', path);
  }
  if (!stat.isDirectory()) return [path];
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.json(\.gz)?$/.test(f))
    .sort()
    .map((f) => join(path, f));
}

/**
 * The events in one file: an EventBridge envelope, a bare CloudTrail record, a CloudTrail
 * log file as delivered to S3 (`{"Records": [...]}`, gzipped or not), or a JSON array of any
 * of those.
 */
export function eventsInFile(file: string): unknown[] {
  let bytes: Buffer;
  try {
    bytes = readBoundedFile(file, INPUT_LIMITS.replayFile, 'the file');
  } catch (error) {
    throw new ReplayInputError(`cannot be read: ${errorMessage(error)}`, file);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      // A gzip bomb stops at the limit instead of inflating into gigabytes.
      bytes = gunzipSync(bytes, { maxOutputLength: INPUT_LIMITS.replayDecompressed });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new ReplayInputError(
          `decompresses to more than ${INPUT_LIMITS.replayDecompressed.toLocaleString('en-US')} bytes, the limit`,
          file,
        );
      }
      throw new ReplayInputError(`is not valid gzip: ${errorMessage(error)}`, file);
    }
  }
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ReplayInputError(`is not valid JSON: ${(error as Error).message}`, file);
  }
  if (Array.isArray(doc)) return doc;
  const records = (doc as { Records?: unknown } | null)?.Records;
  return Array.isArray(records) ? records : [doc];
}

function describeResult(result: EventResult): { status: ReplayRow['status']; detail: string } {
  if (result.status === 'skipped')
    return { status: 'skipped', detail: `${result.code}: ${result.reason}` };
  const parts = result.resources.map((r) => {
    const id = r.resource.id ?? ('name' in r.resource ? r.resource.name : undefined) ?? '?';
    if (r.status !== 'evaluated') return `${id}: ${r.status}${r.error ? ` (${r.error})` : ''}`;
    const outcomes = r.outcomes.map(
      (o) => `${o.policyId} → ${o.status}${o.error ? ` (${o.error})` : ''}`,
    );
    const errors = r.evaluations
      .filter((e) => e.status === 'error')
      .map((e) => `${e.policyId} → evaluation error`);
    return `${id}: ${[...outcomes, ...errors].join(', ') || 'no policy applied'}`;
  });
  const failed = result.resources.some(
    (r) => r.status === 'error' || r.outcomes.some((o) => o.status === 'failed'),
  );
  return { status: failed ? 'failed' : 'handled', detail: parts.join('; ') };
}

/** Replays every event through the real evaluator, one at a time, classifying each. */
export async function replay(
  evaluator: Evaluator,
  files: string[],
  options: { dryRun?: boolean } = {},
): Promise<ReplayRow[]> {
  const rows: ReplayRow[] = [];
  for (const file of files) {
    const events = eventsInFile(file);
    for (const [index, event] of events.entries()) {
      const detail =
        (event as { detail?: Record<string, unknown> } | null)?.detail ??
        (event as Record<string, unknown> | null);
      const base = {
        file,
        index,
        eventId: typeof detail?.eventID === 'string' ? detail.eventID : undefined,
        eventName: typeof detail?.eventName === 'string' ? detail.eventName : undefined,
      };
      try {
        const result = await evaluator.handleEvent(event, {
          dryRun: options.dryRun,
          trustBareRecords: true,
        });
        rows.push({ ...base, ...describeResult(result), result });
      } catch (error) {
        const malformed = error instanceof MalformedEventError;
        rows.push({
          ...base,
          status: malformed ? 'malformed' : 'failed',
          detail: errorMessage(error),
        });
      }
    }
  }
  return rows;
}
