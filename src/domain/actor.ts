/** Who made the change that triggered an evaluation, as CloudTrail reports it. */
export interface Actor {
  /** userIdentity.type: IAMUser, AssumedRole, Root, FederatedUser, AWSService, Unknown, ... */
  type: string;
  arn?: string;
  principalId?: string;
  accountId?: string;
  /** For assumed roles: the role the session was issued from. */
  sessionIssuerArn?: string;
  /** sessionContext.sourceIdentity: set once when the first role was assumed, kept through chains. */
  sourceIdentity?: string;
  /** onBehalfOf.userId: the Identity Center (identity store) user of an identity-enhanced session. */
  onBehalfOfUserId?: string;
  sourceIPAddress?: string;
  userAgent?: string;
}

/** The triggering event, reduced to what the audit trail and notices need. */
export interface TriggerEvent {
  /** `approval`: an approval deadline fired, or a human chose to revert now. */
  source: 'cloudtrail' | 'config' | 'sweep' | 'manual' | 'approval';
  eventId: string;
  eventName: string;
  eventSource: string;
  /** ISO-8601 time the change happened (CloudTrail eventTime). */
  eventTime: string;
  actor?: Actor;
  /**
   * A sweep's drift finding: when the previous sweep started. The violation was not open
   * then, so it has been open at most since; it has no eventTime of its own.
   */
  notOpenAt?: string;
}
