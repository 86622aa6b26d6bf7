import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import type { AwsClients } from '../aws/clients';
import type { DecisionGuard } from '../exceptions/store';
import { documentClient, type TableRef } from '../exceptions/table';
import type { Notice } from '../notices/notice';

/** Notices are kept long enough to answer late clicks, then TTL removes them. */
const NOTICE_RETENTION_DAYS = 90;
/** A claim to post that was never completed (the poster died) may be taken over after this. */
export const POSTING_CLAIM_STALE_MS = 5 * 60_000;

/** How long an opened exception form can be submitted (Slack keeps a modal open for hours). */
export const FORM_TOKEN_TTL_MS = 60 * 60_000;

/** What a form token is good for: one submission, by one user, of one form on one notice. */
export interface FormBinding {
  noticeId: string;
  user: string;
  mode: 'request' | 'grant';
}

/** The one decision an approval notice takes (grant, revert now, keep reverting). */
export interface NoticeDecision {
  decision: string;
  by: string;
  at: string;
}

/** A posted notice: where its Slack message is, and what it shows. */
export interface PostedNotice {
  notice: Notice;
  channel: string;
  ts: string;
  decision?: NoticeDecision;
}

function isConditionFailure(error: unknown): boolean {
  return (error as Error).name === 'ConditionalCheckFailedException';
}

/**
 * Posted notices in the exceptions table, so updates edit the message (`chat.update`).
 * An item moves through its states once: claimed for posting, posted, decided.
 */
export class NoticeStore {
  private readonly db: DynamoDBDocumentClient;

  constructor(
    clients: AwsClients,
    readonly table: TableRef,
  ) {
    this.db = documentClient(clients, table);
  }

  private key(id: string) {
    return { pk: `notice#${id}` };
  }

  /** The posted notice; undefined while it is only claimed for posting, or unknown. */
  async get(id: string): Promise<PostedNotice | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table.name, Key: this.key(id), ConsistentRead: true }),
    );
    if (!out.Item?.notice) return undefined;
    return {
      notice: out.Item.notice as Notice,
      channel: out.Item.channel,
      ts: out.Item.ts,
      ...(out.Item.decision
        ? {
            decision: {
              decision: out.Item.decision,
              by: out.Item.decidedBy,
              at: out.Item.decidedAt,
            },
          }
        : {}),
    };
  }

  /**
   * Claims the right to post a notice: true for exactly one of any number of concurrent
   * deliveries of the same outcome (a conditional write), false when it is posted or
   * another delivery is posting it. A claim older than POSTING_CLAIM_STALE_MS without a
   * message is taken over, so a poster that died does not silence the notice.
   */
  async claimPosting(id: string, now: number): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table.name,
          Item: {
            ...this.key(id),
            kind: 'notice',
            postingSince: now,
            ttl: Math.floor(now / 1000) + NOTICE_RETENTION_DAYS * 86400,
          },
          ConditionExpression:
            'attribute_not_exists(pk) OR (attribute_not_exists(notice) AND postingSince < :stale)',
          ExpressionAttributeValues: { ':stale': now - POSTING_CLAIM_STALE_MS },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Gives a claim back after a failed post, so the next delivery (a retry) posts. */
  async releasePosting(id: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table.name,
          Key: this.key(id),
          ConditionExpression: 'attribute_not_exists(notice)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** Stores what the message shows; a decision already taken is kept. */
  async put(posted: Omit<PostedNotice, 'decision'>, now: number): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: this.key(posted.notice.id),
        UpdateExpression:
          'SET kind = :kind, notice = :notice, channel = :channel, ts = :ts, #ttl = :ttl REMOVE postingSince',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: {
          ':kind': 'notice',
          ':notice': posted.notice,
          ':channel': posted.channel,
          ':ts': posted.ts,
          ':ttl': Math.floor(now / 1000) + NOTICE_RETENTION_DAYS * 86400,
        },
      }),
    );
  }

  /**
   * The transaction item that takes a notice's one decision: it fails when the notice is
   * gone or already decided, so a replayed or concurrent decision changes nothing.
   */
  decisionGuard(id: string, decision: NoticeDecision): DecisionGuard {
    return {
      item: {
        Update: {
          TableName: this.table.name,
          Key: this.key(id),
          UpdateExpression: 'SET decision = :decision, decidedBy = :by, decidedAt = :at',
          ConditionExpression: 'attribute_exists(notice) AND attribute_not_exists(decision)',
          ExpressionAttributeValues: {
            ':decision': decision.decision,
            ':by': decision.by,
            ':at': decision.at,
          },
        },
      },
      conflict: 'this approval is already decided',
    };
  }

  /**
   * A single-use token for an exception form, carried in the modal's private_metadata: the
   * submission is accepted only with it, only from the user it was issued to, only once.
   */
  async issueFormToken(binding: FormBinding, now: number): Promise<string> {
    const token = randomBytes(18).toString('base64url');
    await this.db.send(
      new PutCommand({
        TableName: this.table.name,
        Item: {
          pk: `form-token#${token}`,
          kind: 'form-token',
          ...binding,
          expiresAtEpoch: Math.floor((now + FORM_TOKEN_TTL_MS) / 1000),
          ttl: Math.floor((now + FORM_TOKEN_TTL_MS) / 1000) + 86400,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return token;
  }

  /** The transaction item that spends a form token; fails for a replay, another user or form. */
  formTokenGuard(token: string, binding: FormBinding, now: number): DecisionGuard {
    return {
      item: {
        Update: {
          TableName: this.table.name,
          Key: { pk: `form-token#${token}` },
          UpdateExpression: 'SET usedAt = :now',
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(usedAt) AND #user = :user AND noticeId = :notice AND #mode = :mode AND expiresAtEpoch > :epoch',
          ExpressionAttributeNames: { '#user': 'user', '#mode': 'mode' },
          ExpressionAttributeValues: {
            ':now': new Date(now).toISOString(),
            ':user': binding.user,
            ':notice': binding.noticeId,
            ':mode': binding.mode,
            ':epoch': Math.floor(now / 1000),
          },
        },
      },
      conflict:
        'this form was already submitted, has expired, or was opened by someone else: open it again from the notice',
    };
  }

  /** Takes the notice's decision on its own (revert now, keep reverting); false if taken. */
  async decide(id: string, decision: NoticeDecision): Promise<boolean> {
    const update = this.decisionGuard(id, decision).item.Update!;
    try {
      await this.db.send(
        new UpdateCommand(update as ConstructorParameters<typeof UpdateCommand>[0]),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
