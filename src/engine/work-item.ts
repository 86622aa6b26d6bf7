import type { ResourceLocator, TriggerEvent } from '../domain';
import type { CloudTrailRecord } from '../events/cloudtrail';
import type { ApprovalDeadline } from '../exceptions/deadline';
import type { AnyPolicy, AnyResourceType, Snapshot } from './definitions';
import type { SkipCode } from './results';

/**
 * One resource to judge, as a source adapter (CloudTrail, AWS Config item, approval
 * deadline) yields it: which policies, and how its current state is read. The stages after
 * it (read → judge → decide → execute → report) do not know which source it came from.
 */
export interface WorkItem {
  type: AnyResourceType;
  policies: readonly AnyPolicy[];
  locator: ResourceLocator;
  /** The resource's current state; undefined when it no longer exists. */
  read(): Promise<Snapshot | undefined>;
  /** Mode `approve`: the wait for this item is over (an approval deadline fired). */
  approvalOver?: ApprovalDeadline['reason'];
}

/** What a source adapter made of one input: nothing to do (and why), or the work. */
export type Intake =
  | { status: 'skip'; eventId?: string; eventName?: string; code: SkipCode; reason: string }
  | {
      status: 'work';
      eventId: string;
      eventName: string;
      trigger: TriggerEvent;
      items: WorkItem[];
      /** When the input arrived (epoch ms): the start of every handling time. */
      receivedAt: number;
      /** The CloudTrail record the work came from (duplicate suppression keys on it). */
      record?: CloudTrailRecord;
    };

export type Skip = Extract<Intake, { status: 'skip' }>;

export const skipOf = (
  eventId: string | undefined,
  eventName: string | undefined,
  code: SkipCode,
  reason: string,
): Skip => ({ status: 'skip', eventId, eventName, code, reason });
