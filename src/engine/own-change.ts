import type { RampartConfig } from '../config';
import type { Actor } from '../domain';

/** `arn:aws:sts::123456789012:assumed-role/RoleName/session-name` */
const ASSUMED_ROLE_ARN = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/([^/]+)$/;
/** `arn:aws:iam::123456789012:role/optional/path/RoleName` */
const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;

/**
 * True only when the change was made by one of Rampart's own roles in the account the event
 * comes from, under a session name Rampart itself sets. Everything is compared exactly: a
 * look-alike role (`RampartRemediationRole-dev`), the right role under another session name
 * (a human who assumed it), or the right role of another account is not Rampart.
 */
export function isOwnChange(
  actor: Actor | undefined,
  eventAccount: string | undefined,
  ownRole: RampartConfig['ownRole'],
): boolean {
  if (!actor || actor.type !== 'AssumedRole' || !eventAccount) return false;
  const session = actor.arn?.match(ASSUMED_ROLE_ARN);
  const issuer = actor.sessionIssuerArn?.match(ROLE_ARN);
  if (!session || !issuer) return false;
  const [, partition, sessionAccount, sessionRole, sessionName] = session;
  const [, issuerPartition, issuerAccount, issuerRole] = issuer;
  if (
    sessionAccount !== eventAccount ||
    issuerAccount !== eventAccount ||
    (actor.accountId !== undefined && actor.accountId !== eventAccount) ||
    issuerPartition !== partition ||
    issuerRole !== sessionRole
  ) {
    return false;
  }
  if (!ownRole.sessionNames.includes(sessionName!)) return false;
  const ownArns = new Set([
    ...ownRole.arns,
    ...ownRole.roleNames.map((name) => `arn:${partition}:iam::${eventAccount}:role/${name}`),
  ]);
  return ownArns.has(actor.sessionIssuerArn!);
}
