import type { ResolvedTemplate, TemplateSubject } from '../../cloudformation/resolved';
import {
  knownString,
  physicalName,
  templateSubject,
  TEMPLATE_SCOPE,
} from '../../cloudformation/subjects';
import { SNS_TOPIC, type SnsTopicSnapshot } from './snapshot';
import { snsTopicRef, topicSnapshot } from './index';

/** `AWS::SNS::Topic` with its KmsMasterKeyId (absent: not encrypted). */
export function snsTopicsFromTemplate(
  template: ResolvedTemplate,
): TemplateSubject<SnsTopicSnapshot>[] {
  return template.resources
    .filter((r) => r.type === SNS_TOPIC)
    .map((r) =>
      templateSubject(r, ['KmsMasterKeyId'], () => {
        const ref = snsTopicRef(
          TEMPLATE_SCOPE.account,
          TEMPLATE_SCOPE.region,
          physicalName(r, 'TopicName'),
        );
        // A key named by reference (!Ref, !GetAtt) is still a key.
        const key =
          knownString(r.properties.KmsMasterKeyId) ??
          (r.properties.KmsMasterKeyId !== undefined ? '(a key of the template)' : undefined);
        return topicSnapshot(TEMPLATE_SCOPE, ref.arn, key ? { KmsMasterKeyId: key } : {});
      }),
    );
}
