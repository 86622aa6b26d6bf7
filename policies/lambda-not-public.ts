import * as z from 'zod';
import { definePolicy } from '../src/engine/definitions';
import {
  LAMBDA_FUNCTION,
  type LambdaFunctionSnapshot,
} from '../src/resources/lambda-function/snapshot';
import {
  appliesToAnyone,
  conditionKeys,
  parseResourcePolicy,
  type PolicyStatement,
} from '../src/resources/resource-policy';

/**
 * Condition keys that hold a grant to `*` to one source (a bucket, a rule, an account or an
 * organization), as AWS's own public-access check treats them.
 */
const SCOPING_KEYS = [
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:principalorgid',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:sourceorgid',
  'lambda:eventsourcetoken',
];

/** The grant a function URL with auth NONE needs: judged by lambda-function-url-auth. */
export function isFunctionUrlGrant(s: PolicyStatement): boolean {
  const keys = conditionKeys(s);
  return (
    s.actions.length > 0 &&
    s.actions.every((a) => a.toLowerCase() === 'lambda:invokefunctionurl') &&
    keys.includes('lambda:functionurlauthtype')
  );
}

/** The function's statements that let anyone at all invoke or manage it. */
export function publicStatements(snapshot: LambdaFunctionSnapshot): PolicyStatement[] {
  if (snapshot.resourcePolicy === undefined) return [];
  return parseResourcePolicy(
    snapshot.resourcePolicy,
    `resource policy of ${snapshot.functionName}`,
  ).filter((s) => {
    if (s.effect !== 'Allow' || !appliesToAnyone(s) || isFunctionUrlGrant(s)) return false;
    const keys = conditionKeys(s);
    return !keys.some((k) => SCOPING_KEYS.includes(k));
  });
}

export const lambdaNotPublic = definePolicy<LambdaFunctionSnapshot, Record<string, never>>({
  id: 'lambda-not-public',
  title: 'Lambda functions cannot be invoked by anyone',
  description:
    "A function whose resource policy allows `*` (any AWS account, or anyone) without a condition naming the source account, ARN or organization violates. A function URL's own auth-NONE grant is judged by lambda-function-url-auth. The unqualified function's policy is judged (an alias's own policy is not read).",
  rationale:
    'A statement open to `*` lets any AWS account invoke the function (and run up its cost, or reach what its role can), and a service grant without a source lets any customer of that service point it at the function.',
  severity: 'critical',
  pillar: 'security',
  controls: [
    { framework: 'aws-fsbp', id: 'Lambda.1' },
    { framework: 'aws-well-architected', id: 'SEC03-BP07' },
  ],
  resourceType: LAMBDA_FUNCTION,
  triggers: ['CreateFunction20150331', 'AddPermission20150331v2'],
  // A grant may be there for a partner's account or a webhook: a human decides within the
  // approval window; without an exception the statements are removed at the deadline.
  defaultMode: 'approve',
  parameters: z.strictObject({}),
  remediatorId: 'lambda-remove-public-permissions',
  evaluate(snapshot) {
    const open = publicStatements(snapshot);
    if (open.length === 0) return { compliant: true };
    return {
      compliant: false,
      finding: {
        message: `Lambda function ${snapshot.functionName} can be invoked by anyone: ${open
          .map((s) => `statement ${s.sid ?? '(no Sid)'} allows ${s.actions.join(', ')} to *`)
          .join('; ')}.`,
        elements: open.map((s) => ({
          kind: 'policy-statement',
          ...(s.sid ? { id: s.sid } : {}),
          description: `allows ${s.actions.join(', ')} to * without a source condition`,
        })),
      },
    };
  },
});
