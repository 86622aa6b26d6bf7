import * as z from 'zod';
import type { Actor, TriggerEvent } from '../domain';
import {
  CONFIG_ITEM_DETAIL_TYPE,
  parseConfigItemChange,
  type ConfigItemChange,
} from './config-item';
import { MalformedEventError } from './errors';

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** The fields of a CloudTrail record Rampart reads; everything else passes through untouched. */
const cloudTrailRecordSchema = z.looseObject({
  eventID: z.string().min(1),
  eventName: z.string().min(1),
  eventSource: z.string().min(1),
  eventTime: z.string().min(1),
  awsRegion: z.string().min(1),
  recipientAccountId: z.string().optional(),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
  readOnly: z.boolean().optional(),
  eventType: z.string().optional(),
  sourceIPAddress: z.string().optional(),
  userAgent: z.string().optional(),
  userIdentity: z.record(z.string(), z.unknown()).optional(),
  requestParameters: z.record(z.string(), z.unknown()).nullish(),
  responseElements: z.record(z.string(), z.unknown()).nullish(),
});
export type CloudTrailRecord = z.infer<typeof cloudTrailRecordSchema>;

const envelopeSchema = z.looseObject({
  id: z.string().optional(),
  'detail-type': z.string(),
  source: z.string().optional(),
  account: z.string().optional(),
  region: z.string().optional(),
  time: z.string().optional(),
  detail: z.record(z.string(), z.unknown()),
});

export interface EventEnvelope {
  id?: string;
  detailType: string;
  /** `aws.<service>` for events AWS emits; anything else was put on the bus by someone. */
  source?: string;
  account?: string;
  region?: string;
}

/** What the bus delivered, classified before any policy logic runs. */
export type ParsedEvent =
  | { kind: 'cloudtrail'; envelope?: EventEnvelope; record: CloudTrailRecord }
  | { kind: 'config'; envelope: EventEnvelope; change: ConfigItemChange }
  | { kind: 'other'; envelope: EventEnvelope; detail: Record<string, unknown> };

function issuePath(prefix: string, path: PropertyKey[]): string {
  return [prefix, ...path.map(String)].filter(Boolean).join('.');
}

function toMalformed(prefix: string, error: z.ZodError, eventId?: string): MalformedEventError {
  const issue = error.issues[0]!;
  const problem =
    issue.code === 'invalid_type' && issue.input === undefined ? 'is missing' : issue.message;
  return new MalformedEventError(issuePath(prefix, issue.path), problem, eventId);
}

function parseRecord(detail: unknown, prefix: string, eventId?: string): CloudTrailRecord {
  const parsed = cloudTrailRecordSchema.safeParse(detail);
  if (!parsed.success) throw toMalformed(prefix, parsed.error, eventId);
  return parsed.data;
}

/**
 * Accepts an EventBridge envelope (what the bus and SQS deliver) or, for local use,
 * a bare CloudTrail record (the envelope's `detail`). Throws MalformedEventError naming
 * the field when the input cannot be one of those.
 */
export function parseEvent(input: unknown): ParsedEvent {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new MalformedEventError(
      '(event)',
      `must be a JSON object, got ${Array.isArray(input) ? 'array' : input === null ? 'null' : typeof input}`,
    );
  }
  const obj = input as Record<string, unknown>;
  if (!('detail-type' in obj) && 'eventName' in obj) {
    return { kind: 'cloudtrail', record: parseRecord(obj, '') };
  }
  if (!('detail-type' in obj)) {
    throw new MalformedEventError(
      'detail-type',
      'is missing: the input is neither an EventBridge event nor a CloudTrail record (no eventName)',
      typeof obj.id === 'string' ? obj.id : undefined,
    );
  }
  const env = envelopeSchema.safeParse(obj);
  if (!env.success) {
    throw toMalformed('', env.error, typeof obj.id === 'string' ? obj.id : undefined);
  }
  const envelope: EventEnvelope = {
    id: env.data.id,
    detailType: env.data['detail-type'],
    source: env.data.source,
    account: env.data.account,
    region: env.data.region,
  };
  if (envelope.detailType === CLOUDTRAIL_DETAIL_TYPE) {
    return {
      kind: 'cloudtrail',
      envelope,
      record: parseRecord(env.data.detail, 'detail', envelope.id),
    };
  }
  if (envelope.detailType === CONFIG_ITEM_DETAIL_TYPE) {
    return {
      kind: 'config',
      envelope,
      change: parseConfigItemChange(env.data.detail, envelope.id),
    };
  }
  return { kind: 'other', envelope, detail: env.data.detail };
}

/** Reads a key regardless of case: normalised CloudTrail copies lowercase userIdentity keys. */
function getCI(obj: unknown, key: string): unknown {
  if (typeof obj !== 'object' || obj === null) return undefined;
  const rec = obj as Record<string, unknown>;
  if (key in rec) return rec[key];
  const lower = key.toLowerCase();
  const found = Object.keys(rec).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : rec[found];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function actorOf(record: CloudTrailRecord): Actor {
  const identity = record.userIdentity ?? {};
  const session = getCI(identity, 'sessionContext');
  const issuer = getCI(session, 'sessionIssuer');
  const sourceIdentity = str(getCI(session, 'sourceIdentity'));
  const onBehalfOfUserId = str(getCI(getCI(identity, 'onBehalfOf'), 'userId'));
  return {
    type: str(getCI(identity, 'type')) ?? 'Unknown',
    arn: str(getCI(identity, 'arn')),
    principalId: str(getCI(identity, 'principalId')),
    accountId: str(getCI(identity, 'accountId')),
    sessionIssuerArn: str(getCI(issuer, 'arn')),
    ...(sourceIdentity ? { sourceIdentity } : {}),
    ...(onBehalfOfUserId ? { onBehalfOfUserId } : {}),
    sourceIPAddress: record.sourceIPAddress,
    userAgent: record.userAgent,
  };
}

/**
 * CloudTrail times are ISO-8601 with `Z`; normalised copies use `YYYY-MM-DD hh:mm:ss.000`
 * (UTC, no zone). Both become ISO-8601 UTC.
 */
export function normaliseEventTime(raw: string, eventId?: string): string {
  const candidate = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(raw)
    ? `${raw.replace(' ', 'T')}${/[zZ]|[+-]\d{2}:?\d{2}$/.test(raw) ? '' : 'Z'}`
    : raw;
  const ms = Date.parse(candidate);
  if (Number.isNaN(ms)) {
    throw new MalformedEventError(
      'detail.eventTime',
      `is not a date: ${JSON.stringify(raw)}`,
      eventId,
    );
  }
  return new Date(ms).toISOString();
}

export function triggerEventOf(record: CloudTrailRecord): TriggerEvent {
  return {
    source: 'cloudtrail',
    eventId: record.eventID,
    eventName: record.eventName,
    eventSource: record.eventSource,
    eventTime: normaliseEventTime(record.eventTime, record.eventID),
    actor: actorOf(record),
  };
}

const READ_ONLY_PREFIXES = ['Describe', 'List', 'Get', 'Head', 'Lookup', 'BatchGet', 'Search'];

/** `readOnly` is absent before eventVersion 1.06 or so; fall back on the verb. */
export function isReadOnly(record: CloudTrailRecord): boolean {
  if (typeof record.readOnly === 'boolean') return record.readOnly;
  return READ_ONLY_PREFIXES.some((p) => record.eventName.startsWith(p));
}

/** The account a change happened in: recipientAccountId, else the envelope's, else the caller's. */
export function accountOf(record: CloudTrailRecord, envelope?: EventEnvelope): string | undefined {
  return (
    str(record.recipientAccountId) ??
    str(envelope?.account) ??
    str(getCI(record.userIdentity, 'accountId'))
  );
}

/** Reads a nested field of requestParameters/responseElements by path, for locators. */
export function pathValue(root: unknown, path: readonly string[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
