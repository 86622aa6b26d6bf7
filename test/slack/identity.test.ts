import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config';
import { defaultCatalog } from '../../src/catalog';
import { actorOf } from '../../src/events/cloudtrail';
import {
  authorIdentity,
  intersects,
  mappedAuthors,
  slackUserIdentity,
} from '../../src/slack/identity';

const ACCOUNT = '123456789012';
const SSO_ROLE = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PowerUserAccess_0123456789abcdef`;

/** userIdentity blocks shaped like CloudTrail's (docs: "CloudTrail userIdentity element"). */
const identities = {
  sso: {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLE:alice@corp.example',
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_PowerUserAccess_0123456789abcdef/alice@corp.example`,
    accountId: ACCOUNT,
    sessionContext: { sessionIssuer: { type: 'Role', arn: SSO_ROLE, accountId: ACCOUNT } },
  },
  /** A role outside /aws-reserved/ named like Identity Center's: the session name is the caller's choice. */
  ssoLookAlike: {
    type: 'AssumedRole',
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_PowerUserAccess_0123456789abcdef/bob@corp.example`,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        arn: `arn:aws:iam::${ACCOUNT}:role/AWSReservedSSO_PowerUserAccess_0123456789abcdef`,
      },
    },
  },
  iamUser: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT },
  federated: {
    type: 'FederatedUser',
    arn: `arn:aws:sts::${ACCOUNT}:federated-user/alice`,
    sessionContext: {
      sessionIssuer: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/federator` },
    },
  },
  root: { type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT },
  service: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' },
  sourceIdentity: {
    type: 'AssumedRole',
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Deploy/ci-42`,
    sessionContext: {
      sourceIdentity: 'Alice@Corp.Example',
      sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/Deploy` },
    },
  },
  onBehalfOf: {
    type: 'IdentityCenterUser',
    accountId: ACCOUNT,
    onBehalfOf: {
      userId: '94482488-3041-7026-18f3-be45837cd0e4',
      identityStoreArn: 'arn:aws:identitystore::123456789012:identitystore/d-1234567890',
    },
  },
} as const;

const actor = (identity: object) =>
  actorOf({ userIdentity: identity } as unknown as Parameters<typeof actorOf>[0]);

describe('authorIdentity: what AWS vouches for, and what the caller only claims', () => {
  it('an Identity Center session: its user name and email are proven', () => {
    const a = authorIdentity(actor(identities.sso));
    expect(a.emails).toEqual(['alice@corp.example']);
    expect(a.proven.has('email:alice@corp.example')).toBe(true);
    expect(a.proven.has('identity-center-user:alice@corp.example')).toBe(true);
    expect(a.proven.has(`arn:${SSO_ROLE}`)).toBe(true);
  });

  it('a role merely named like Identity Center’s proves nothing about its session name', () => {
    const a = authorIdentity(actor(identities.ssoLookAlike));
    expect(a.emails).toEqual([]);
    expect(a.proven.has('email:bob@corp.example')).toBe(false);
    expect(a.claimed.has('email:bob@corp.example')).toBe(true);
  });

  it('IAM users and root are their ARNs; a federated user is proven by the IAM user behind it', () => {
    expect([...authorIdentity(actor(identities.iamUser)).proven]).toEqual([
      `arn:arn:aws:iam::${ACCOUNT}:user/alice`,
    ]);
    expect([...authorIdentity(actor(identities.root)).proven]).toEqual([
      `arn:arn:aws:iam::${ACCOUNT}:root`,
    ]);
    const fed = authorIdentity(actor(identities.federated));
    expect([...fed.proven]).toEqual([`arn:arn:aws:iam::${ACCOUNT}:user/federator`]);
    expect([...fed.claimed]).toEqual([`arn:arn:aws:sts::${ACCOUNT}:federated-user/alice`]);
  });

  it('sourceIdentity and onBehalfOf are read from CloudTrail and proven', () => {
    const src = authorIdentity(actor(identities.sourceIdentity));
    expect(src.emails).toEqual(['alice@corp.example']);
    expect(src.proven.has('source-identity:alice@corp.example')).toBe(true);
    const obo = authorIdentity(actor(identities.onBehalfOf));
    expect([...obo.proven]).toEqual(['identity-store-user:94482488-3041-7026-18f3-be45837cd0e4']);
  });

  it('a service, or no identity at all, is nobody', () => {
    for (const a of [authorIdentity(actor(identities.service)), authorIdentity(undefined)]) {
      expect(a.proven.size + a.claimed.size).toBe(0);
    }
  });
});

describe('matching is exact, never by fragment', () => {
  const alice = authorIdentity(actor(identities.sso));
  it.each([
    ['alice@corp.example.evil', false],
    ['alice@corp.exampl', false],
    ['alice', false],
    ['xalice@corp.example', false],
    ['ALICE@CORP.EXAMPLE', true],
    ['alice@corp.example', true],
  ])('profile email %s matches: %s', (email, matches) => {
    expect(intersects(slackUserIdentity(email, undefined), alice.proven)).toBe(matches);
  });

  it('mapped principal ARNs tie exactly: user/alice is not user/alice-admin or a path prefix', () => {
    const config = parseConfig(
      {
        slack: {
          channel: 'C0TEST',
          approvers: { users: ['U0APPROVER'] },
          identities: {
            UALICE: { principalArns: [`arn:aws:iam::${ACCOUNT}:user/alice`] },
            UALICE2: { principalArns: [`arn:aws:iam::${ACCOUNT}:user/alice-admin`] },
            UROOT: { principalArns: [`arn:aws:iam::${ACCOUNT}:root`] },
          },
        },
      },
      defaultCatalog(),
    );
    const identitiesMap = config.slack!.identities;
    expect(mappedAuthors(authorIdentity(actor(identities.iamUser)), identitiesMap)).toEqual([
      'UALICE',
    ]);
    expect(mappedAuthors(authorIdentity(actor(identities.root)), identitiesMap)).toEqual(['UROOT']);
    // A claimed name never ties anyone: the federated user "alice" is not UALICE.
    expect(mappedAuthors(authorIdentity(actor(identities.federated)), identitiesMap)).toEqual([]);
  });

  it('refuses wildcard and non-principal ARNs in slack.identities, naming the field', () => {
    for (const arn of [
      `arn:aws:iam::${ACCOUNT}:user/*`,
      `arn:aws:iam::${ACCOUNT}:policy/Admin`,
      'arn:aws:iam::*:root',
    ]) {
      expect(() =>
        parseConfig(
          {
            slack: {
              channel: 'C0TEST',
              approvers: { users: ['U0APPROVER'] },
              identities: { UALICE: { principalArns: [arn] } },
            },
          },
          defaultCatalog(),
        ),
      ).toThrow(/slack\.identities\.UALICE\.principalArns\.0.*without wildcards/);
    }
  });
});
