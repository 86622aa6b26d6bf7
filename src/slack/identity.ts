import type { SlackIdentityMapping } from '../config/slack';
import type { Actor } from '../domain';

/**
 * Who made a change and who a Slack user is, as sets of exact identity keys. Pure: the
 * Slack lookups that feed it live in approval-rule.ts.
 *
 * A key is `proven` when AWS itself vouches for it (an IAM user's ARN, the role a session
 * was issued from, an Identity Center session's user name, sourceIdentity, onBehalfOf) and
 * `claimed` when the caller chose it (the session name of a plain AssumeRole, a federated
 * user's name). Both forbid a match from approving; only proven keys may tie the author to
 * a Slack user, since a claimed one would let Alice name Bob as the author and approve alone.
 */

export type IdentityKey = string;

export interface AuthorIdentity {
  proven: Set<IdentityKey>;
  claimed: Set<IdentityKey>;
  /** Proven emails, to look up in Slack (`users.lookupByEmail`). */
  emails: string[];
}

/**
 * Identity Center's roles live under this path in every member account; AWS reserves
 * `/aws-reserved/` (customers cannot create roles there), so a session of such a role is
 * named by Identity Center after the signed-in user.
 */
const IDENTITY_CENTER_ROLE =
  /^arn:aws(?:-cn|-us-gov)?:iam::\d{12}:role\/aws-reserved\/sso\.amazonaws\.com\/(?:[a-z0-9-]+\/)?AWSReservedSSO_[\w+=,.@-]+$/;
const SESSION_ARN =
  /^arn:aws(?:-cn|-us-gov)?:sts::\d{12}:assumed-role\/[\w+=,.@-]+\/([\w+=,.@-]+)$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export const key = {
  arn: (arn: string): IdentityKey => `arn:${arn}`,
  email: (email: string): IdentityKey => `email:${email.toLowerCase()}`,
  identityCenterUser: (name: string): IdentityKey => `identity-center-user:${name.toLowerCase()}`,
  identityStoreUser: (id: string): IdentityKey => `identity-store-user:${id.toLowerCase()}`,
  sourceIdentity: (value: string): IdentityKey => `source-identity:${value.toLowerCase()}`,
};

function addName(set: Set<IdentityKey>, emails: string[] | undefined, name: string) {
  if (!EMAIL.test(name)) return;
  set.add(key.email(name));
  emails?.push(name.toLowerCase());
}

/** The keys a change's author is known by; empty sets when CloudTrail names nobody. */
export function authorIdentity(actor: Actor | undefined): AuthorIdentity {
  const proven = new Set<IdentityKey>();
  const claimed = new Set<IdentityKey>();
  const emails: string[] = [];
  if (!actor) return { proven, claimed, emails };
  const { type, arn, sessionIssuerArn } = actor;
  if (type === 'IAMUser' || type === 'Root') {
    if (arn) proven.add(key.arn(arn));
  } else if (type === 'AssumedRole' || type === 'FederatedUser') {
    // The issuer (a role, or the IAM user that called GetFederationToken) is AWS's word.
    if (sessionIssuerArn) proven.add(key.arn(sessionIssuerArn));
    const sessionName = arn && SESSION_ARN.exec(arn)?.[1];
    if (
      type === 'AssumedRole' &&
      sessionName &&
      IDENTITY_CENTER_ROLE.test(sessionIssuerArn ?? '')
    ) {
      proven.add(key.arn(arn!));
      proven.add(key.identityCenterUser(sessionName));
      addName(proven, emails, sessionName);
    } else if (arn) {
      claimed.add(key.arn(arn));
      if (sessionName) addName(claimed, undefined, sessionName);
    }
  } else if (arn) {
    claimed.add(key.arn(arn));
  }
  if (actor.sourceIdentity) {
    proven.add(key.sourceIdentity(actor.sourceIdentity));
    addName(proven, emails, actor.sourceIdentity);
  }
  if (actor.onBehalfOfUserId) proven.add(key.identityStoreUser(actor.onBehalfOfUserId));
  return { proven, claimed, emails: [...new Set(emails)] };
}

/**
 * The keys a Slack user is known by: their profile email and what the configuration maps
 * them to. A mapped Identity Center user name or email also counts as a sourceIdentity,
 * since identity providers usually set it to one of the two.
 */
export function slackUserIdentity(
  profileEmail: string | undefined,
  mapping: SlackIdentityMapping | undefined,
): Set<IdentityKey> {
  const keys = new Set<IdentityKey>();
  const emails = [...(profileEmail ? [profileEmail] : []), ...(mapping?.emails ?? [])];
  for (const email of emails) {
    keys.add(key.email(email));
    keys.add(key.sourceIdentity(email));
  }
  for (const arn of mapping?.principalArns ?? []) keys.add(key.arn(arn));
  for (const name of mapping?.identityCenterUsers ?? []) {
    keys.add(key.identityCenterUser(name));
    keys.add(key.sourceIdentity(name));
  }
  for (const id of mapping?.identityStoreUserIds ?? []) keys.add(key.identityStoreUser(id));
  return keys;
}

export function intersects(a: Set<IdentityKey>, b: Set<IdentityKey>): boolean {
  for (const k of a) if (b.has(k)) return true;
  return false;
}

/** The configured Slack users whose mapping names one of the author's proven keys. */
export function mappedAuthors(
  author: AuthorIdentity,
  identities: Record<string, SlackIdentityMapping>,
): string[] {
  return Object.entries(identities)
    .filter(([, mapping]) => intersects(slackUserIdentity(undefined, mapping), author.proven))
    .map(([user]) => user);
}

/** How a notice names the author, for refusals: the ARN, else the principal id. */
export function describeAuthor(actor: Actor | undefined): string {
  return actor?.arn ?? actor?.principalId ?? 'an unnamed principal';
}
