import type { ResolvedTemplate, TemplateSubject } from '../../cloudformation/resolved';
import { knownString, templateSubject } from '../../cloudformation/subjects';
import { SNS_SUBSCRIPTION, snsSubscriptionRef, type SnsSubscriptionSnapshot } from './index';

/** `AWS::SNS::Subscription` `RedrivePolicy` (an object, or its JSON text). */
export function snsSubscriptionsFromTemplate(
  template: ResolvedTemplate,
): TemplateSubject<SnsSubscriptionSnapshot>[] {
  return template.resources
    .filter((r) => r.type === SNS_SUBSCRIPTION)
    .map((r) =>
      templateSubject(r, ['Protocol', 'RedrivePolicy'], () => {
        let policy = r.properties.RedrivePolicy as Record<string, unknown> | string | undefined;
        if (typeof policy === 'string') {
          try {
            policy = JSON.parse(policy) as Record<string, unknown>;
          } catch {
            policy = undefined;
          }
        }
        const target = knownString(
          (policy as Record<string, unknown> | undefined)?.deadLetterTargetArn,
        );
        const endpoint = knownString(r.properties.Endpoint);
        return {
          type: SNS_SUBSCRIPTION,
          ref: { ...snsSubscriptionRef(r.logicalId), arn: '' },
          subscriptionArn: r.logicalId,
          topicArn: knownString(r.properties.TopicArn) ?? '',
          protocol: (knownString(r.properties.Protocol) ?? '').toLowerCase(),
          ...(endpoint ? { endpoint } : {}),
          ...(target ? { deadLetterTargetArn: target } : {}),
        };
      }),
    );
}
