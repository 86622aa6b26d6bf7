import { randomUUID } from 'node:crypto';

export const ACCOUNT = '123456789012';

/**
 * Builds an EventBridge "AWS API Call via CloudTrail" envelope around a record shaped like
 * the real ones in ../shared/cloudtrail-samples (same field names and nesting).
 */
export function cloudTrailEnvelope(
  detail: Record<string, unknown> & { eventName: string; eventSource: string },
  overrides: { account?: string; region?: string } = {},
) {
  const region = (detail.awsRegion as string | undefined) ?? overrides.region ?? 'us-east-1';
  const account = overrides.account ?? ACCOUNT;
  const eventID = (detail.eventID as string | undefined) ?? randomUUID();
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: `aws.${detail.eventSource.split('.')[0]}`,
    account,
    time: new Date().toISOString(),
    region,
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        principalId: 'AROAEXAMPLEID:alice',
        arn: `arn:aws:sts::${account}:assumed-role/Developer/alice`,
        accountId: account,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: 'AROAEXAMPLEID',
            arn: `arn:aws:iam::${account}:role/Developer`,
            accountId: account,
            userName: 'Developer',
          },
        },
      },
      eventTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      awsRegion: region,
      sourceIPAddress: '198.51.100.7',
      userAgent: 'console.ec2.amazonaws.com',
      requestID: randomUUID(),
      eventID,
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: account,
      eventCategory: 'Management',
      ...detail,
    },
  };
}

/** An AuthorizeSecurityGroupIngress record in the nested `ipPermissions.items` form. */
export function authorizeIngressEvent(
  groupId: string,
  permissions: { protocol: string; from?: number; to?: number; cidr?: string; cidrIpv6?: string }[],
  extra: Record<string, unknown> = {},
  overrides: { account?: string; region?: string } = {},
) {
  return cloudTrailEnvelope(
    {
      eventSource: 'ec2.amazonaws.com',
      eventName: 'AuthorizeSecurityGroupIngress',
      requestParameters: {
        groupId,
        ipPermissions: {
          items: permissions.map((p) => ({
            ipProtocol: p.protocol,
            ...(p.from !== undefined ? { fromPort: p.from, toPort: p.to ?? p.from } : {}),
            groups: {},
            ipRanges: p.cidr ? { items: [{ cidrIp: p.cidr }] } : {},
            ipv6Ranges: p.cidrIpv6 ? { items: [{ cidrIpv6: p.cidrIpv6 }] } : {},
            prefixListIds: {},
          })),
        },
      },
      responseElements: { _return: true },
      ...extra,
    },
    overrides,
  );
}

/** The CloudTrail record fields Rampart reads: what property tests corrupt one at a time. */
export const CLOUDTRAIL_RECORD_FIELDS = [
  'eventID',
  'eventName',
  'eventSource',
  'eventTime',
  'awsRegion',
  'recipientAccountId',
  'errorCode',
  'readOnly',
  'userIdentity',
  'requestParameters',
  'responseElements',
  'sourceIPAddress',
] as const;
