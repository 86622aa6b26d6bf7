import * as z from 'zod';
import {
  ACCOUNT_ID_EXPECTED,
  AWS_REGION_EXPECTED,
  isAccountId,
  isAwsRegion,
} from '../domain/identifiers';
import { MalformedEventError } from './errors';

export const CONFIG_ITEM_DETAIL_TYPE = 'Config Configuration Item Change';

/**
 * One AWS Config configuration item, normalised. Config delivers three spellings of the same
 * thing: the notification shape (`awsAccountId`, `ARN`, configuration as an object), the
 * API/history shape (`accountId`, `arn`) and the SDK's (configuration and supplementary
 * values as JSON strings, times as Dates). Adapters only ever see this one.
 */
export interface ConfigurationItem {
  resourceType: string;
  resourceId: string;
  resourceName?: string;
  arn?: string;
  account: string;
  region: string;
  /** OK, ResourceDiscovered, ResourceNotRecorded, ResourceDeleted, ResourceDeletedNotRecorded. */
  status: string;
  /** ISO-8601. */
  captureTime: string;
  configurationStateId?: string;
  configuration: Record<string, unknown>;
  supplementaryConfiguration: Record<string, unknown>;
  tags: Record<string, string>;
}

/** What an oversized notification carries instead of the item: enough to fetch it. */
export interface ConfigurationItemSummary {
  resourceType: string;
  resourceId: string;
  account: string;
  region: string;
  status: string;
  captureTime: string;
  configurationStateId?: string;
  changeType?: string;
}

export type ConfigItemChange =
  | { kind: 'item'; item: ConfigurationItem; changeType?: string }
  | { kind: 'oversized'; summary: ConfigurationItemSummary };

export const DELETED_STATUSES = ['ResourceDeleted', 'ResourceDeletedNotRecorded'] as const;

const time = z.union([z.string().min(1), z.date(), z.number()]);
const stateId = z.union([z.string(), z.number()]).nullish();

/** What an item and an oversized summary share: which resource, where, when, in what state. */
const headShape = {
  resourceType: z.string().min(1),
  resourceId: z.string().min(1),
  awsAccountId: z.string().optional(),
  accountId: z.string().optional(),
  awsRegion: z.string().min(1),
  configurationItemStatus: z.string().min(1),
  configurationItemCaptureTime: time,
  configurationStateId: stateId,
};

const itemSchema = z.looseObject({
  ...headShape,
  resourceName: z.string().nullish(),
  ARN: z.string().nullish(),
  arn: z.string().nullish(),
  configuration: z.union([z.record(z.string(), z.unknown()), z.string()]).nullish(),
  supplementaryConfiguration: z.record(z.string(), z.unknown()).nullish(),
  tags: z.record(z.string(), z.string()).nullish(),
});

const summarySchema = z.looseObject({ ...headShape, changeType: z.string().optional() });

const detailSchema = z.looseObject({
  messageType: z.enum([
    'ConfigurationItemChangeNotification',
    'OversizedConfigurationItemChangeNotification',
  ]),
  configurationItem: z.unknown().optional(),
  configurationItemSummary: z.unknown().optional(),
  configurationItemDiff: z.looseObject({ changeType: z.string().optional() }).nullish(),
});

function fail(prefix: string, error: z.ZodError, eventId?: string): MalformedEventError {
  const issue = error.issues[0]!;
  const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  const problem =
    issue.code === 'invalid_type' && issue.input === undefined ? 'is missing' : issue.message;
  return new MalformedEventError(field, problem, eventId);
}

function isoTime(value: string | Date | number, field: string, eventId?: string): string {
  const ms = value instanceof Date ? value.getTime() : new Date(value).getTime();
  if (Number.isNaN(ms)) {
    throw new MalformedEventError(field, `is not a date: ${JSON.stringify(value)}`, eventId);
  }
  return new Date(ms).toISOString();
}

/** The API shape stores JSON documents as strings; decode them, keep other strings as they are. */
function decodeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const t = value.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return value;
  try {
    return JSON.parse(t);
  } catch {
    return value;
  }
}

function accountOrFail(
  data: { awsAccountId?: string; accountId?: string },
  prefix: string,
  eventId?: string,
): string {
  const account = data.awsAccountId ?? data.accountId;
  if (!account) throw new MalformedEventError(`${prefix}.awsAccountId`, 'is missing', eventId);
  if (!isAccountId(account)) {
    throw new MalformedEventError(
      `${prefix}.awsAccountId`,
      `${JSON.stringify(account.slice(0, 64))}: ${ACCOUNT_ID_EXPECTED}`,
      eventId,
    );
  }
  return account;
}

/** Config says `global` for IAM and other global resources. */
function regionOrFail(region: string, prefix: string, eventId?: string): string {
  if (region === 'global' || isAwsRegion(region)) return region;
  throw new MalformedEventError(
    `${prefix}.awsRegion`,
    `${JSON.stringify(region.slice(0, 64))}: ${AWS_REGION_EXPECTED}, or global`,
    eventId,
  );
}

/** Normalises a configuration item in any of its three shapes; names the field that is wrong. */
export function normaliseConfigurationItem(
  raw: unknown,
  prefix = 'configurationItem',
  eventId?: string,
): ConfigurationItem {
  const parsed = itemSchema.safeParse(raw);
  if (!parsed.success) throw fail(prefix, parsed.error, eventId);
  const d = parsed.data;
  const configuration = decodeJson(d.configuration ?? {});
  if (typeof configuration !== 'object' || configuration === null || Array.isArray(configuration)) {
    throw new MalformedEventError(`${prefix}.configuration`, 'is not a JSON object', eventId);
  }
  const supplementary: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d.supplementaryConfiguration ?? {})) {
    supplementary[k] = decodeJson(v);
  }
  return {
    resourceType: d.resourceType,
    resourceId: d.resourceId,
    ...(d.resourceName ? { resourceName: d.resourceName } : {}),
    ...((d.ARN ?? d.arn) ? { arn: (d.ARN ?? d.arn)! } : {}),
    account: accountOrFail(d, prefix, eventId),
    region: regionOrFail(d.awsRegion, prefix, eventId),
    status: d.configurationItemStatus,
    captureTime: isoTime(
      d.configurationItemCaptureTime,
      `${prefix}.configurationItemCaptureTime`,
      eventId,
    ),
    ...(d.configurationStateId != null
      ? { configurationStateId: String(d.configurationStateId) }
      : {}),
    configuration: configuration as Record<string, unknown>,
    supplementaryConfiguration: supplementary,
    tags: d.tags ?? {},
  };
}

/** Parses the `detail` of a "Config Configuration Item Change" event. */
export function parseConfigItemChange(detail: unknown, eventId?: string): ConfigItemChange {
  const parsed = detailSchema.safeParse(detail);
  if (!parsed.success) throw fail('detail', parsed.error, eventId);
  const d = parsed.data;
  if (d.messageType === 'ConfigurationItemChangeNotification') {
    if (d.configurationItem === undefined) {
      throw new MalformedEventError('detail.configurationItem', 'is missing', eventId);
    }
    return {
      kind: 'item',
      item: normaliseConfigurationItem(d.configurationItem, 'detail.configurationItem', eventId),
      ...(d.configurationItemDiff?.changeType
        ? { changeType: d.configurationItemDiff.changeType }
        : {}),
    };
  }
  const summary = summarySchema.safeParse(d.configurationItemSummary);
  if (!summary.success) throw fail('detail.configurationItemSummary', summary.error, eventId);
  const s = summary.data;
  return {
    kind: 'oversized',
    summary: {
      resourceType: s.resourceType,
      resourceId: s.resourceId,
      account: accountOrFail(s, 'detail.configurationItemSummary', eventId),
      region: regionOrFail(s.awsRegion, 'detail.configurationItemSummary', eventId),
      status: s.configurationItemStatus,
      captureTime: isoTime(
        s.configurationItemCaptureTime,
        'detail.configurationItemSummary.configurationItemCaptureTime',
        eventId,
      ),
      ...(s.configurationStateId != null
        ? { configurationStateId: String(s.configurationStateId) }
        : {}),
      ...(s.changeType ? { changeType: s.changeType } : {}),
    },
  };
}

/** Reads a string field of a configuration, whatever its case (Config mixes camel and Pascal). */
export function configString(config: Record<string, unknown>, key: string): string | undefined {
  const found = Object.keys(config).find((k) => k.toLowerCase() === key.toLowerCase());
  const value = found === undefined ? undefined : config[found];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Reads any field of a configuration, whatever its case. */
export function configValue(config: Record<string, unknown>, key: string): unknown {
  const found = Object.keys(config).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : config[found];
}
