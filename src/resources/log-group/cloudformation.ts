import type { ResolvedTemplate, TemplateSubject } from '../../cloudformation/resolved';
import { physicalName, templateSubject, TEMPLATE_SCOPE } from '../../cloudformation/subjects';
import { LOG_GROUP, type LogGroupSnapshot } from './snapshot';
import { logGroupSnapshot } from './index';

/** `AWS::Logs::LogGroup`: without RetentionInDays the group keeps its events forever. */
export function logGroupsFromTemplate(
  template: ResolvedTemplate,
): TemplateSubject<LogGroupSnapshot>[] {
  return template.resources
    .filter((r) => r.type === LOG_GROUP)
    .map((r) =>
      templateSubject(r, ['RetentionInDays'], () => {
        const days = Number(r.properties.RetentionInDays);
        return logGroupSnapshot(TEMPLATE_SCOPE, {
          logGroupName: physicalName(r, 'LogGroupName'),
          ...(Number.isFinite(days) && days > 0 ? { retentionInDays: days } : {}),
        });
      }),
    );
}
