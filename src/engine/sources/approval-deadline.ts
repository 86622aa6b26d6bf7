import type { ResourceLocator, TriggerEvent } from '../../domain';
import type { ApprovalDeadline } from '../../exceptions/deadline';
import { skipOf, type Intake } from '../work-item';
import type { SourceDeps } from './cloudtrail';

/**
 * An approval deadline fired (or a human pressed "Revert now"): the one policy it was
 * scheduled for, on its resource, judged again on what is read now.
 */
export function approvalDeadlineIntake(
  deps: SourceDeps,
  deadline: ApprovalDeadline,
  receivedAt: number,
): Intake {
  const { trigger: original, resource, policyId } = deadline;
  const type = deps.catalog.resourceTypes.get(resource.type);
  const policy = deps.catalog.policies.get(policyId);
  if (!type || !policy || !deps.config.policies[policyId]?.enabled) {
    return skipOf(
      original.eventId,
      original.eventName,
      'policy-gone',
      `approval ${deadline.approvalId}: policy ${policyId} is no longer enabled for ${resource.type}`,
    );
  }
  const trigger: TriggerEvent = { ...original, source: 'approval' };
  const locator: ResourceLocator = {
    type: type.type,
    account: resource.account,
    region: resource.region,
    id: resource.id,
  };
  return {
    status: 'work',
    eventId: trigger.eventId,
    eventName: trigger.eventName,
    trigger,
    items: [
      {
        type,
        policies: [policy],
        locator,
        read: () => type.collect(deps.clients, locator),
        approvalOver: deadline.reason,
      },
    ],
    receivedAt,
  };
}
