import type { AwsClients } from '../../aws/clients';
import type { RampartConfig } from '../../config';
import {
  ACCOUNT_ID_EXPECTED,
  AWS_REGION_EXPECTED,
  isAccountId,
  isAwsRegion,
} from '../../domain/identifiers';
import {
  accountOf,
  isReadOnly,
  triggerEventOf,
  type CloudTrailRecord,
  type EventEnvelope,
} from '../../events/cloudtrail';
import { MalformedEventError } from '../../events/errors';
import type { Catalog } from '../catalog';
import type { AnyPolicy, AnyResourceType } from '../definitions';
import { isOwnChange } from '../own-change';
import { skipOf, type Intake, type WorkItem } from '../work-item';

export interface SourceDeps {
  catalog: Catalog;
  config: RampartConfig;
  clients: AwsClients;
}

/** A resource type that can locate this event, with the enabled policies it triggers. */
interface Route {
  type: AnyResourceType;
  policies: AnyPolicy[];
}

function routesOf(deps: SourceDeps, record: CloudTrailRecord): Route[] {
  return deps.catalog
    .typesForSource(record.eventSource)
    .filter((type) => type.cloudTrail[record.eventName])
    .map((type) => ({
      type,
      policies: deps.catalog
        .policiesTriggeredBy(type.type, record.eventName)
        .filter((p) => deps.config.policies[p.id]?.enabled),
    }))
    .filter((route) => route.policies.length > 0);
}

/** Why an event needs no work (a failed or read-only call, nothing watching it), if it does not. */
function skipReason(
  deps: SourceDeps,
  record: CloudTrailRecord,
  routes: readonly Route[],
): Pick<Intake & { status: 'skip' }, 'code' | 'reason'> | undefined {
  const name = `${record.eventSource.split('.')[0]}:${record.eventName}`;
  if (record.errorCode) {
    return { code: 'failed-call', reason: `${name} failed (${record.errorCode}): nothing changed` };
  }
  if (isReadOnly(record)) return { code: 'read-only', reason: `${name} is read-only` };
  const types = deps.catalog.typesForSource(record.eventSource);
  if (types.length === 0) {
    return { code: 'unwatched-service', reason: `no policy watches ${record.eventSource}` };
  }
  const ignored = types.map((t) => t.ignoredEvents?.[record.eventName]).find(Boolean);
  if (ignored) return { code: 'ignored-event', reason: `${name} ${ignored}` };
  if (routes.length === 0) {
    return { code: 'no-trigger', reason: `no enabled policy is triggered by ${name}` };
  }
  return undefined;
}

/** The account and region an event's resources live in, checked before they scope a client. */
function scopeOf(
  record: CloudTrailRecord,
  envelope: EventEnvelope | undefined,
): { account: string; region: string } {
  const account = accountOf(record, envelope);
  if (!account) {
    throw new MalformedEventError(
      'detail.recipientAccountId',
      'is missing (and so are account and userIdentity.accountId)',
      record.eventID,
    );
  }
  // Checked here, where they become an SDK client's scope: a bad one must be refused, not
  // retried as an endpoint error. (Skipped events never get this far, so odd values in
  // records no policy reads cost nothing.)
  if (!isAccountId(account)) {
    throw new MalformedEventError(
      'detail.recipientAccountId',
      `${JSON.stringify(account.slice(0, 64))}: ${ACCOUNT_ID_EXPECTED}`,
      record.eventID,
    );
  }
  if (!isAwsRegion(record.awsRegion)) {
    throw new MalformedEventError(
      'detail.awsRegion',
      `${JSON.stringify(record.awsRegion.slice(0, 64))}: ${AWS_REGION_EXPECTED}`,
      record.eventID,
    );
  }
  return { account, region: record.awsRegion };
}

/**
 * A CloudTrail API call → the resources it changed, each to be read live (the event is only
 * a trigger). Throws MalformedEventError when a watched event cannot name its resources.
 */
export function cloudTrailIntake(
  deps: SourceDeps,
  record: CloudTrailRecord,
  envelope: EventEnvelope | undefined,
  receivedAt: number,
): Intake {
  const routes = routesOf(deps, record);
  const skip = skipReason(deps, record, routes);
  if (skip) return skipOf(record.eventID, record.eventName, skip.code, skip.reason);

  const trigger = triggerEventOf(record);
  if (isOwnChange(trigger.actor, accountOf(record, envelope), deps.config.ownRole)) {
    return skipOf(
      record.eventID,
      record.eventName,
      'own-change',
      `caused by Rampart's own role (${trigger.actor!.sessionIssuerArn ?? trigger.actor!.arn})`,
    );
  }
  const where = scopeOf(record, envelope);
  const items: WorkItem[] = routes.flatMap(({ type, policies }) =>
    type.cloudTrail[record.eventName]!(record, where).map((locator) => ({
      type,
      policies,
      locator,
      read: () => type.collect(deps.clients, locator),
    })),
  );
  return {
    status: 'work',
    eventId: record.eventID,
    eventName: record.eventName,
    trigger,
    items,
    receivedAt,
    record,
  };
}
