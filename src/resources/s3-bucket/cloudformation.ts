import type { ResolvedTemplate, TemplateSubject } from '../../cloudformation/resolved';
import { physicalName, templateSubject, TEMPLATE_SCOPE } from '../../cloudformation/subjects';
import { publicAccessBlockOf, S3_BUCKET, type S3BucketSnapshot } from './snapshot';
import { s3BucketRef } from './index';

/** `AWS::S3::Bucket` with its PublicAccessBlockConfiguration (absent: every setting off). */
export function s3BucketsFromTemplate(
  template: ResolvedTemplate,
): TemplateSubject<S3BucketSnapshot>[] {
  return template.resources
    .filter((r) => r.type === S3_BUCKET)
    .map((r) =>
      templateSubject(r, ['PublicAccessBlockConfiguration'], () => {
        const name = physicalName(r, 'BucketName');
        return {
          type: S3_BUCKET,
          ref: s3BucketRef(TEMPLATE_SCOPE.account, TEMPLATE_SCOPE.region, name),
          bucketName: name,
          publicAccessBlock: publicAccessBlockOf(
            r.properties.PublicAccessBlockConfiguration as Record<string, unknown> | undefined,
          ),
        };
      }),
    );
}
