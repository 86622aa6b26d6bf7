import {
  ConfigServiceClient,
  GetResourceConfigHistoryCommand,
  type ResourceType,
} from '@aws-sdk/client-config-service';
import type { AwsClients } from '../../aws/clients';
import type { ResourceLocator } from '../../domain';
import {
  DELETED_STATUSES,
  normaliseConfigurationItem,
  type ConfigItemChange,
  type ConfigurationItem,
} from '../../events/config-item';
import type { EventEnvelope } from '../../events/cloudtrail';
import type { AnyResourceType, Snapshot } from '../definitions';
import { skipOf, type Intake } from '../work-item';
import type { SourceDeps } from './cloudtrail';

/** An oversized item could not be fetched back from AWS Config. */
export class ConfigItemFetchError extends Error {
  override readonly name = 'ConfigItemFetchError';
  constructor(
    message: string,
    readonly resourceType: string,
    readonly resourceId: string,
  ) {
    super(message);
  }
}

/** IAM actions the Config input path needs besides the resource types' own read actions. */
export const CONFIG_INPUT_READ_ACTIONS = ['config:GetResourceConfigHistory'] as const;

export const CONFIG_EVENT_NAME = 'ConfigurationItemChangeNotification';
export const CONFIG_EVENT_SOURCE = 'config.amazonaws.com';

/** Fetches the latest item of an oversized notification (GetResourceConfigHistory, newest first). */
export async function fetchConfigurationItem(
  clients: AwsClients,
  scope: { account: string; region: string },
  resourceType: string,
  resourceId: string,
): Promise<ConfigurationItem> {
  const out = await clients.get(ConfigServiceClient, scope).send(
    new GetResourceConfigHistoryCommand({
      resourceType: resourceType as ResourceType,
      resourceId,
      limit: 1,
    }),
  );
  const raw = out.configurationItems?.[0];
  if (!raw) {
    throw new ConfigItemFetchError(
      `GetResourceConfigHistory returned no item for ${resourceType} ${resourceId}`,
      resourceType,
      resourceId,
    );
  }
  return normaliseConfigurationItem(raw, 'GetResourceConfigHistory.configurationItems[0]');
}

/**
 * A configuration item → its type's snapshot: built from the item with `fromConfigItem`;
 * types without one (their item lacks what the policy judges) read live through `collect`.
 * Undefined when the resource no longer exists.
 */
export async function snapshotOfConfigItem(
  clients: AwsClients,
  type: AnyResourceType,
  item: ConfigurationItem,
): Promise<Snapshot | undefined> {
  if (type.fromConfigItem) return type.fromConfigItem(item);
  return type.collect(clients, {
    type: type.type,
    account: item.account,
    region: item.region,
    id: item.resourceName ?? item.resourceId,
    ...(item.resourceName ? { name: item.resourceName } : {}),
  });
}

/**
 * A "Config Configuration Item Change" event → the one resource it describes, judged by all
 * of its type's enabled policies (Config reports state, not a specific API call). Its
 * snapshot is built from the item with the type's `fromConfigItem`; types without one (their
 * item lacks what the policy judges) read through `collect`, and an oversized item's
 * notification fetches the item first.
 */
export function configItemIntake(
  deps: SourceDeps,
  envelope: EventEnvelope,
  change: ConfigItemChange,
  receivedAt: number,
): Intake {
  const head = change.kind === 'item' ? change.item : change.summary;
  const eventId =
    envelope.id ?? `${head.resourceType}/${head.resourceId}/${head.configurationStateId ?? ''}`;
  const what = `${head.resourceType} ${head.resourceId}`;
  const skip = (code: Parameters<typeof skipOf>[2], reason: string) =>
    skipOf(eventId, CONFIG_EVENT_NAME, code, reason);
  if ((DELETED_STATUSES as readonly string[]).includes(head.status)) {
    return skip('resource-deleted', `${what} was deleted`);
  }
  if (head.status === 'ResourceNotRecorded') return skip('not-recorded', `${what} is not recorded`);
  const type = deps.catalog.typeForConfigType(head.resourceType);
  if (!type) return skip('unwatched-resource-type', `no policy watches ${head.resourceType}`);
  const policies = deps.catalog
    .policiesFor(type.type)
    .filter((p) => deps.config.policies[p.id]?.enabled);
  if (policies.length === 0) return skip('no-trigger', `no enabled policy judges ${type.type}`);

  const locator: ResourceLocator = {
    type: type.type,
    account: head.account,
    region: head.region,
    id: head.resourceId,
    ...(change.kind === 'item' && change.item.resourceName
      ? { name: change.item.resourceName }
      : {}),
  };
  const read = async () =>
    snapshotOfConfigItem(
      deps.clients,
      type,
      change.kind === 'item'
        ? change.item
        : await fetchConfigurationItem(deps.clients, head, head.resourceType, head.resourceId),
    );
  return {
    status: 'work',
    eventId,
    eventName: CONFIG_EVENT_NAME,
    trigger: {
      source: 'config',
      eventId,
      eventName: CONFIG_EVENT_NAME,
      eventSource: CONFIG_EVENT_SOURCE,
      eventTime: head.captureTime,
    },
    items: [{ type, policies, locator, read }],
    receivedAt,
  };
}
