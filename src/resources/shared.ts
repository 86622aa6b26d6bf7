import { partitionOf, type ResourceRef } from '../domain';
import { isAccountId, isAwsRegion } from '../domain/identifiers';
import type { CloudTrailRecord } from '../events/cloudtrail';
import { pathValue } from '../events/cloudtrail';
import { MalformedEventError } from '../events/errors';

/** A non-empty string at a path of requestParameters/responseElements, else undefined. */
export function stringAt(root: unknown, path: readonly string[]): string | undefined {
  const v = pathValue(root, path);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * The first non-empty string among candidate paths of a record (`request.x` reads
 * requestParameters, `response.x` responseElements); throws naming the first path otherwise.
 */
export function requiredString(record: CloudTrailRecord, candidates: readonly string[]): string {
  for (const candidate of candidates) {
    const [where, ...path] = candidate.split('.');
    const root = where === 'request' ? record.requestParameters : record.responseElements;
    const value = stringAt(root, path);
    if (value) return value;
  }
  const field = (c: string) =>
    `detail.${c.replace(/^request\./, 'requestParameters.').replace(/^response\./, 'responseElements.')}`;
  const [first, ...others] = candidates.map(field);
  throw new MalformedEventError(
    first!,
    others.length > 0 ? `is missing (and so is ${others.join(', ')})` : 'is missing',
    record.eventID,
  );
}

/** The last `/`- or `:`-separated segment of an ARN (or the value itself when it is a name). */
export function nameFromArnOrName(value: string, marker: string): string {
  if (!value.startsWith('arn:')) return value;
  const at = value.indexOf(marker);
  return at === -1 ? value.slice(value.lastIndexOf(':') + 1) : value.slice(at + marker.length);
}

export function refOf(
  type: string,
  account: string,
  region: string,
  id: string,
  arn: (partition: string) => string,
): ResourceRef {
  const partition = partitionOf(region);
  return { partition, account, region, type, id, arn: arn(partition) };
}

/** True for an SDK error of one of the given names (`ResourceNotFoundException`, ...). */
/** The APIs' `[{ Key, Value }]` tag lists as a map (what exception scopes match on). */
export function tagMap(
  tags: readonly { Key?: string; Value?: string }[] | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}

export function isAwsError(error: unknown, ...names: string[]): boolean {
  const e = error as { name?: string; Code?: string; code?: string } | null;
  return !!e && names.some((n) => e.name === n || e.Code === n || e.code === n);
}

/** A boolean as Config items and templates carry it: `true` or the string `"true"`. */
export const isTrue = (v: unknown): boolean => v === true || v === 'true';

/** A number as Config items and templates carry it (a number or a numeric string). */
export function numberOr(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : fallback;
}

/**
 * Where an ARN says its resource lives, or undefined for a plain name. A resource named by
 * ARN is located in that ARN's account and region, never in the event's: a topic or key of
 * another account must not stand for a same-named one of this account.
 */
export function arnScope(
  value: string,
  where: { account: string; region: string },
): { account: string; region: string } {
  if (!value.startsWith('arn:')) return where;
  const [, , , region, account] = value.split(':');
  return {
    account: account && isAccountId(account) ? account : where.account,
    region: region && isAwsRegion(region) ? region : where.region,
  };
}
