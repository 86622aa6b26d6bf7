import {
  findUnresolved,
  ResourceReference,
  Unresolved,
  type ResolvedResource,
  type ResolvedTemplate,
  type TemplateSubject,
} from '../../cloudformation/resolved';
import { physicalName, templateSubject, TEMPLATE_SCOPE } from '../../cloudformation/subjects';
import { publicAccessBlockOf, S3_BUCKET, type S3BucketSnapshot } from './snapshot';
import { s3BucketRef } from './index';

/**
 * A template's bucket policy document as the JSON text S3 would return. A bucket policy can
 * only name its own bucket (S3 refuses any other), so a Resource that a template resolves
 * only at deploy time (`Fn::Join` of the bucket's Arn…) is written as `*`: one of its ARNs.
 */
function policyText(doc: unknown, bucketName: string, bucketLogicalId: string): string {
  return JSON.stringify(doc, function (key, value: unknown) {
    if (value instanceof ResourceReference) {
      return value.logicalId === bucketLogicalId && value.attribute === 'Arn'
        ? `arn:aws:s3:::${bucketName}`
        : value.logicalId;
    }
    // Elsewhere (an Allow's principal) the value does not decide the verdict: a placeholder.
    if (value instanceof Unresolved) return key === 'Resource' || Array.isArray(this) ? '*' : '?';
    return value;
  });
}

/** The template's bucket policies, by the bucket they name (a Ref's logical id, or a name). */
function policiesByBucket(template: ResolvedTemplate): Map<string, ResolvedResource> {
  const found = new Map<string, ResolvedResource>();
  for (const r of template.resources) {
    if (r.type !== 'AWS::S3::BucketPolicy') continue;
    const b = r.properties.Bucket;
    if (b instanceof ResourceReference) found.set(b.logicalId, r);
    else if (typeof b === 'string') found.set(b, r);
  }
  return found;
}

/**
 * `AWS::S3::Bucket` with its PublicAccessBlockConfiguration (absent: every setting off) and
 * the `AWS::S3::BucketPolicy` of the same template that names it.
 */
export function s3BucketsFromTemplate(
  template: ResolvedTemplate,
): TemplateSubject<S3BucketSnapshot>[] {
  const policies = policiesByBucket(template);
  return template.resources
    .filter((r) => r.type === S3_BUCKET)
    .map((r) => {
      const name = physicalName(r, 'BucketName');
      const policy = policies.get(r.logicalId) ?? policies.get(name);
      const doc = policy?.properties.PolicyDocument;
      // Only a Deny statement can make the policy compliant: its Effect, Principal, Action
      // and Condition decide the verdict, so one that cannot be resolved makes it unknown.
      const unknown = (why: string) => ({
        logicalId: r.logicalId,
        line: r.line,
        cfnType: r.type,
        unknown: why,
      });
      const whole = doc instanceof Unresolved ? doc : (doc as { Statement?: unknown })?.Statement;
      if (whole instanceof Unresolved) {
        return unknown(`${policy!.logicalId}.PolicyDocument: ${whole.reason}`);
      }
      const statements = (whole === undefined ? [] : [whole].flat()) as (
        Record<string, unknown> | undefined
      )[];
      for (const [i, s] of statements.entries()) {
        if (s?.Effect === 'Allow') continue;
        for (const key of ['Effect', 'Principal', 'NotPrincipal', 'Action', 'Condition']) {
          const path = `${policy!.logicalId}.PolicyDocument.Statement[${i}].${key}`;
          const u = findUnresolved(s?.[key], path);
          if (u) return unknown(`${u.path}: ${u.reason}`);
        }
      }
      return templateSubject(r, ['PublicAccessBlockConfiguration'], () => ({
        type: S3_BUCKET,
        ref: s3BucketRef(TEMPLATE_SCOPE.account, TEMPLATE_SCOPE.region, name),
        bucketName: name,
        publicAccessBlock: publicAccessBlockOf(
          r.properties.PublicAccessBlockConfiguration as Record<string, unknown> | undefined,
        ),
        ...(doc !== undefined ? { bucketPolicy: policyText(doc, name, r.logicalId) } : {}),
      }));
    });
}
