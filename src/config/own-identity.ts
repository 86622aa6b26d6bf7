/**
 * The identities Rampart's own stacks create and use. The CDK app names its roles and
 * functions from these constants, the member role's trust policy allows only these session
 * names, and the evaluator recognises its own changes by them, exactly (never by prefix).
 */

/** The central evaluator's (and sweep's) execution role, in the central account. */
export const EVALUATOR_ROLE_NAME = 'RampartEvaluatorRole';
/** The role the evaluator assumes in each member account. */
export const REMEDIATION_ROLE_NAME = 'RampartRemediationRole';

/** Function names; Lambda uses the function name as its execution role's session name. */
export const EVALUATOR_FUNCTION_NAME = 'rampart-evaluator';
export const SWEEP_FUNCTION_NAME = 'rampart-sweep';

/**
 * Session names of the functions that write to AWS. A deployed function assumes member
 * roles under its own function name (see `ownSessionName`), so these are also the only
 * session names the member role's trust policy accepts.
 */
export const OWN_SESSION_NAMES = [EVALUATOR_FUNCTION_NAME, SWEEP_FUNCTION_NAME] as const;

/** Session name for local runs (`rampart scan --remediate` with a member role): not "own". */
export const LOCAL_SESSION_NAME = 'rampart-cli';

/** The session name Rampart sets when it assumes a member role from this process. */
export function ownSessionName(env: NodeJS.ProcessEnv = process.env): string {
  const fn = env.AWS_LAMBDA_FUNCTION_NAME;
  return fn && (OWN_SESSION_NAMES as readonly string[]).includes(fn) ? fn : LOCAL_SESSION_NAME;
}

/** IAM's own limits on role names and session names. */
export const ROLE_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;
export const SESSION_NAME_PATTERN = /^[\w+=,.@-]{2,64}$/;
/** A role ARN with an optional path: `arn:aws:iam::123456789012:role/path/Name`. */
export const ROLE_ARN_PATTERN =
  /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
