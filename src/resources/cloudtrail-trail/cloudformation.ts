import type { ResolvedTemplate, TemplateSubject } from '../../cloudformation/resolved';
import { physicalName, templateSubject, TEMPLATE_SCOPE } from '../../cloudformation/subjects';
import { CLOUDTRAIL_TRAIL, type CloudTrailTrailSnapshot } from './snapshot';
import { cloudTrailTrailRef } from './index';
import { isTrue } from '../shared';

/** `AWS::CloudTrail::Trail`: IsLogging is required; the others default to false. */
export function cloudTrailTrailsFromTemplate(
  template: ResolvedTemplate,
): TemplateSubject<CloudTrailTrailSnapshot>[] {
  return template.resources
    .filter((r) => r.type === CLOUDTRAIL_TRAIL)
    .map((r) =>
      templateSubject(r, ['IsLogging', 'IsMultiRegionTrail', 'EnableLogFileValidation'], () => {
        const name = physicalName(r, 'TrailName');
        const ref = cloudTrailTrailRef(TEMPLATE_SCOPE.account, TEMPLATE_SCOPE.region, name);
        return {
          type: CLOUDTRAIL_TRAIL,
          ref,
          trailName: name,
          trailArn: ref.arn,
          homeRegion: TEMPLATE_SCOPE.region,
          isLogging: isTrue(r.properties.IsLogging),
          isMultiRegion: isTrue(r.properties.IsMultiRegionTrail),
          logFileValidation: isTrue(r.properties.EnableLogFileValidation),
          isOrganizationTrail: isTrue(r.properties.IsOrganizationTrail),
        };
      }),
    );
}
