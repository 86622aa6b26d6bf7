import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import type { AwsClients } from '../aws/clients';
import type { Actor, ResourceRef, Violation } from '../domain';
import type { Snapshot } from '../engine/definitions';
import {
  ExceptionAuthorizationError,
  ExceptionConflictError,
  ExceptionError,
  describeScope,
  scopeKey,
  validateJustification,
  validateScope,
  type ExceptionDurationDays,
  type ExceptionRecord,
  type ExceptionScope,
  type Requester,
} from './model';
import { documentClient, epochSeconds, type TableRef } from './table';
import { TableIo } from '../aws/table-io';

const DAY_MS = 24 * 60 * 60 * 1000;
type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];
/** Decided requests are kept this long for the record, then TTL removes them. */
const REQUEST_RETENTION_DAYS = 90;

/**
 * An exception waiting for approval: asked for in Slack by a requester, or (mode `approve`)
 * approved once on a change whose author no Slack user is tied to, waiting for a second,
 * distinct approver.
 */
export interface ExceptionRequest {
  id: string;
  policyId: string;
  resource: ResourceRef;
  scope: ExceptionScope;
  requester: Requester;
  /** Who made the change the exception is for, as CloudTrail named them. */
  author?: Actor;
  justification: string;
  days: ExceptionDurationDays;
  status: 'pending' | 'approved' | 'denied';
  createdAt: string;
  /** Slack user ids that approved so far, in order (a second is needed under four eyes). */
  approvals: string[];
  decidedBy?: string;
  exceptionId?: string;
  noticeId?: string;
}

/** A transaction item a caller adds to a decision (a single-use form token, a notice claim). */
export interface DecisionGuard {
  item: TransactItem;
  /** What to say when this item's condition is what failed. */
  conflict: string;
}

/** What approving a request did: granted the exception, or recorded the first of two approvals. */
export type RequestApproval =
  | { status: 'granted'; record: ExceptionRecord; request: ExceptionRequest }
  | { status: 'needs-another-approver'; request: ExceptionRequest };

export interface GrantInput {
  policyId: string;
  resource: ResourceRef;
  scope: ExceptionScope;
  requester: Requester;
  approver: string;
  /** Every approver in order, when two were needed. */
  approvers?: string[];
  justification: string;
  days: ExceptionDurationDays;
  noticeId?: string;
}

/**
 * One decision on an exception, kept for the digest ("granted/denied since the last one"):
 * exception items are replaced on the same scope and expire, requests carry no decision
 * time, so each grant and denial also writes one of these.
 */
export interface ExceptionDecision {
  decision: 'granted' | 'denied';
  /** The exception id (granted) or the request id (denied). */
  id: string;
  policyId: string;
  account: string;
  scope: ExceptionScope;
  /** Slack user id of the approver or of who denied. */
  by: string;
  at: string;
  expiresAt?: string;
}

/** Decisions are kept this long (the longest digest period is a week). */
const DECISION_RETENTION_DAYS = 90;

function decisionItem(decision: ExceptionDecision) {
  return {
    pk: `decision#${decision.at}#${decision.id}`,
    kind: 'decision',
    ...decision,
    ttl: epochSeconds(decision.at) + DECISION_RETENTION_DAYS * 86400,
  };
}

/** What the engine needs: the active exception covering a violation, if any. */
export interface ExceptionLookup {
  find(violation: Violation, snapshot: Snapshot, now: number): Promise<ExceptionRecord | undefined>;
}

type ExceptionItem = ExceptionRecord & { pk: string; kind: 'exception'; expiresAtEpoch: number };

function isLive(item: ExceptionItem | undefined, now: number): item is ExceptionItem {
  return item !== undefined && item.status === 'active' && Date.parse(item.expiresAt) > now;
}

/**
 * A snapshot's tags as key → value, whether its collector keeps them as a map or as the
 * API's `[{ Key, Value }]` list; none when it does not read tags.
 */
export function tagsOf(snapshot: Snapshot): Record<string, string> {
  const raw = (snapshot as Snapshot & { tags?: unknown }).tags;
  if (Array.isArray(raw)) {
    return Object.fromEntries(
      raw
        .filter((t): t is { Key: string; Value?: string } => typeof t?.Key === 'string')
        .map((t) => [t.Key, t.Value ?? '']),
    );
  }
  if (raw && typeof raw === 'object') {
    return Object.fromEntries(
      Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  }
  return {};
}

/** Drops storage-only attributes (key, kind, TTL) from an item. */
function withoutStorageKeys<T>(item: Record<string, unknown>): T {
  const { pk, kind, expiresAtEpoch, ttl, ...rest } = item;
  void [pk, kind, expiresAtEpoch, ttl];
  return rest as T;
}

function toRecord(item: ExceptionItem): ExceptionRecord {
  return withoutStorageKeys<ExceptionRecord>(item as unknown as Record<string, unknown>);
}

/** Exceptions and requests in DynamoDB; every state change is a conditional write. */
export class ExceptionStore implements ExceptionLookup {
  private readonly db: DynamoDBDocumentClient;
  private readonly io: TableIo;

  constructor(
    clients: AwsClients,
    readonly table: TableRef,
    private readonly newId: () => string = () => randomUUID().slice(0, 8),
  ) {
    this.db = documentClient(clients, table);
    this.io = new TableIo(this.db, table.name);
  }

  /**
   * The live exception for this violation: one on the resource, else one on a tag the
   * resource carries (snapshots expose tags as `tags` when their collector reads them).
   */
  async find(
    violation: Violation,
    snapshot: Snapshot,
    now: number,
  ): Promise<ExceptionRecord | undefined> {
    const { resource, policyId } = violation;
    const tags = tagsOf(snapshot);
    const keys = [
      scopeKey(policyId, { kind: 'resource', arn: resource.arn }),
      ...Object.entries(tags).map(([key, value]) =>
        scopeKey(policyId, { kind: 'tag', account: resource.account, key, value }),
      ),
    ].slice(0, 100); // BatchGetItem's limit; a resource has at most 50 tags
    // Unprocessed keys (throttling) are retried; still unread after that is an error, so the
    // caller neither reverts nor passes (an exception may be among the unread keys).
    const items = (await this.io.batchGet(
      keys.map((pk) => ({ pk })),
    )) as unknown as ExceptionItem[];
    // Resource-scoped first: it is the narrower, more deliberate grant.
    const live = items.filter((i) => isLive(i, now));
    const chosen = live.find((i) => i.scope.kind === 'resource') ?? live[0];
    return chosen && toRecord(chosen);
  }

  async createRequest(
    input: {
      policyId: string;
      resource: ResourceRef;
      scope: ExceptionScope;
      requester: Requester;
      author?: Actor;
      justification: string;
      days: ExceptionDurationDays;
      noticeId?: string;
      /** Approvals already given (the first approver of a four-eyes grant). */
      approvals?: string[];
      now: number;
    },
    guards: DecisionGuard[] = [],
  ): Promise<ExceptionRequest> {
    const request: ExceptionRequest = {
      id: `req-${this.newId()}`,
      policyId: input.policyId,
      resource: input.resource,
      scope: validateScope(input.scope, input.resource),
      requester: input.requester,
      ...(input.author ? { author: input.author } : {}),
      justification: validateJustification(input.justification),
      days: input.days,
      status: 'pending',
      createdAt: new Date(input.now).toISOString(),
      approvals: input.approvals ?? [],
      ...(input.noticeId ? { noticeId: input.noticeId } : {}),
    };
    const put: TransactItem = {
      Put: {
        TableName: this.table.name,
        Item: {
          pk: `request#${request.id}`,
          kind: 'request',
          ...request,
          approvalCount: request.approvals.length,
          ttl: Math.floor(input.now / 1000) + REQUEST_RETENTION_DAYS * 86400,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
    await this.transact([...guards.map((g) => g.item), put], request.id, (index) =>
      index < guards.length ? guards[index]!.conflict : `request ${request.id} already exists`,
    );
    return request;
  }

  async getRequest(id: string): Promise<ExceptionRequest | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table.name,
        Key: { pk: `request#${id}` },
        ConsistentRead: true,
      }),
    );
    if (!out.Item) return undefined;
    const { approvalCount, ...item } = out.Item;
    void approvalCount;
    return withoutStorageKeys<ExceptionRequest>(item);
  }

  /**
   * Records one approval of a pending request. With `required` approvals reached, the
   * request flips to approved and the exception is written in one transaction, each
   * conditional on the approvals seen, so a double click or a concurrent second approver
   * yields exactly one exception; below it, the approval is recorded and the request waits.
   * Who may approve (not the author, not the requester) is the caller's rule; the store
   * refuses the requester and a repeated approver whatever the caller says.
   */
  async approveRequest(
    id: string,
    approver: string,
    now: number,
    required: 1 | 2 = 1,
    guards: DecisionGuard[] = [],
  ): Promise<RequestApproval> {
    const request = await this.getRequest(id);
    if (!request) throw new ExceptionError(`exception request ${id} does not exist`, id);
    if ('slackUserId' in request.requester && request.requester.slackUserId === approver) {
      throw new ExceptionAuthorizationError(
        `nobody approves their own request: ${approver} asked for ${id}`,
        id,
      );
    }
    if (request.status !== 'pending') {
      throw new ExceptionConflictError(
        `request ${id} was already ${request.status} by ${request.decidedBy}`,
        id,
      );
    }
    if (request.approvals.includes(approver)) {
      throw new ExceptionAuthorizationError(
        `${approver} already approved ${id}; a second, different approver is needed`,
        id,
      );
    }
    const approvals = [...request.approvals, approver];
    const seen = {
      ConditionExpression: '#status = :pending AND approvalCount = :seen',
      ExpressionAttributeNames: { '#status': 'status' },
    };
    const raced = `request ${id} was already decided or approved meanwhile (a second click changes nothing)`;
    if (approvals.length < required) {
      const record: TransactItem = {
        Update: {
          TableName: this.table.name,
          Key: { pk: `request#${id}` },
          UpdateExpression: 'SET approvals = :approvals, approvalCount = :count',
          ...seen,
          ExpressionAttributeValues: {
            ':approvals': approvals,
            ':count': approvals.length,
            ':pending': 'pending',
            ':seen': request.approvals.length,
          },
        },
      };
      await this.transact([...guards.map((g) => g.item), record], id, (index) =>
        index < guards.length ? guards[index]!.conflict : raced,
      );
      return { status: 'needs-another-approver', request: { ...request, approvals } };
    }
    const { items, record } = this.exceptionItems(
      {
        ...request,
        approver,
        ...(approvals.length > 1 ? { approvers: approvals } : {}),
      },
      now,
    );
    const decide: TransactItem = {
      Update: {
        TableName: this.table.name,
        Key: { pk: `request#${id}` },
        UpdateExpression:
          'SET #status = :approved, decidedBy = :by, exceptionId = :eid, approvals = :approvals, approvalCount = :count',
        ...seen,
        ExpressionAttributeValues: {
          ':approved': 'approved',
          ':pending': 'pending',
          ':by': approver,
          ':eid': record.id,
          ':approvals': approvals,
          ':count': approvals.length,
          ':seen': request.approvals.length,
        },
      },
    };
    await this.transact([...guards.map((g) => g.item), decide, ...items], id, (index) =>
      index < guards.length
        ? guards[index]!.conflict
        : index === guards.length
          ? raced
          : `an active exception already covers ${describeScope(request.scope)} for ${request.policyId}`,
    );
    return {
      status: 'granted',
      record,
      request: {
        ...request,
        approvals,
        status: 'approved',
        decidedBy: approver,
        exceptionId: record.id,
      },
    };
  }

  /** Denies a pending request; the denial and its decision item are one transaction. */
  async denyRequest(id: string, by: string, now = Date.now()): Promise<ExceptionRequest> {
    const request = await this.getRequest(id);
    if (!request || request.status !== 'pending') {
      throw new ExceptionConflictError(`request ${id} is not pending`, id);
    }
    const decide = {
      Update: {
        TableName: this.table.name,
        Key: { pk: `request#${id}` },
        UpdateExpression: 'SET #status = :denied, decidedBy = :by',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':denied': 'denied', ':pending': 'pending', ':by': by },
      },
    };
    const decision = {
      Put: {
        TableName: this.table.name,
        Item: decisionItem({
          decision: 'denied',
          id,
          policyId: request.policyId,
          account: request.resource.account,
          scope: request.scope,
          by,
          at: new Date(now).toISOString(),
        }),
      },
    };
    await this.transact([decide, decision], id, () => `request ${id} is not pending`);
    return { ...request, status: 'denied', decidedBy: by };
  }

  /** Grants and denials decided in [from, to] (ISO-8601), oldest first. */
  async decisionsBetween(from: string, to: string): Promise<ExceptionDecision[]> {
    const items = await this.io.scanAll({
      FilterExpression: 'kind = :decision AND #at BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#at': 'at' },
      ExpressionAttributeValues: { ':decision': 'decision', ':from': from, ':to': to },
    });
    return items
      .map((i) => withoutStorageKeys<ExceptionDecision>(i))
      .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  }

  /** Grants an exception directly (an approver answering an `approve`-mode notice). */
  async grant(
    input: GrantInput,
    now: number,
    guards: DecisionGuard[] = [],
  ): Promise<ExceptionRecord> {
    if ('slackUserId' in input.requester && input.requester.slackUserId === input.approver) {
      throw new ExceptionAuthorizationError('nobody approves their own request', input.approver);
    }
    const { items, record } = this.exceptionItems(input, now);
    await this.transact([...guards.map((g) => g.item), ...items], record.id, (index) =>
      index < guards.length
        ? guards[index]!.conflict
        : `an active exception already covers ${describeScope(input.scope)} for ${input.policyId}`,
    );
    return record;
  }

  async get(id: string): Promise<ExceptionRecord | undefined> {
    const pointer = await this.db.send(
      new GetCommand({
        TableName: this.table.name,
        Key: { pk: `exception-id#${id}` },
        ConsistentRead: true,
      }),
    );
    const target = pointer.Item?.target as string | undefined;
    if (!target) return undefined;
    const out = await this.db.send(
      new GetCommand({ TableName: this.table.name, Key: { pk: target }, ConsistentRead: true }),
    );
    const item = out.Item as ExceptionItem | undefined;
    return item && item.id === id ? toRecord(item) : undefined;
  }

  /** Revokes an active exception at once; the next event on the resource is judged without it. */
  async revoke(id: string, by: string, now: number): Promise<ExceptionRecord> {
    const pointer = await this.db.send(
      new GetCommand({
        TableName: this.table.name,
        Key: { pk: `exception-id#${id}` },
        ConsistentRead: true,
      }),
    );
    const target = pointer.Item?.target as string | undefined;
    if (!target) throw new ExceptionError(`exception ${id} does not exist`, id);
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: { pk: target },
          UpdateExpression: 'SET #status = :revoked, revokedBy = :by, revokedAt = :at',
          ConditionExpression: 'id = :id AND #status = :active AND expiresAtEpoch > :now',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':revoked': 'revoked',
            ':active': 'active',
            ':by': by,
            ':at': new Date(now).toISOString(),
            ':id': id,
            ':now': Math.floor(now / 1000),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toRecord(out.Attributes as ExceptionItem);
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') {
        throw new ExceptionConflictError(`exception ${id} is not active (revoked or expired)`, id);
      }
      throw error;
    }
  }

  /** Active exceptions, soonest to expire first. A scan: the table holds tens of items, not millions. */
  async listActive(now: number, filter: { arn?: string } = {}): Promise<ExceptionRecord[]> {
    const items = (await this.io.scanAll({
      FilterExpression: 'kind = :exception AND #status = :active AND expiresAtEpoch > :now',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':exception': 'exception',
        ':active': 'active',
        ':now': Math.floor(now / 1000),
      },
    })) as unknown as ExceptionItem[];
    return items
      .filter((i) => isLive(i, now))
      .filter((i) => !filter.arn || (i.scope.kind === 'resource' && i.scope.arn === filter.arn))
      .sort((a, b) => a.expiresAt.localeCompare(b.expiresAt))
      .map(toRecord);
  }

  private exceptionItems(input: GrantInput, now: number) {
    const scope = validateScope(input.scope, input.resource);
    const expiresAt = new Date(now + input.days * DAY_MS).toISOString();
    const record: ExceptionRecord = {
      id: `exc-${this.newId()}`,
      policyId: input.policyId,
      scope,
      status: 'active',
      requester: input.requester,
      approver: input.approver,
      ...(input.approvers ? { approvers: input.approvers } : {}),
      justification: validateJustification(input.justification),
      createdAt: new Date(now).toISOString(),
      expiresAt,
      ...(input.noticeId ? { noticeId: input.noticeId } : {}),
    };
    const pk = scopeKey(input.policyId, scope);
    const ttl = epochSeconds(expiresAt);
    const items = [
      {
        Put: {
          TableName: this.table.name,
          Item: { pk, kind: 'exception', ...record, expiresAtEpoch: ttl, ttl },
          // A revoked or expired exception on the same scope may be replaced; a live one not.
          ConditionExpression:
            'attribute_not_exists(pk) OR #status = :revoked OR expiresAtEpoch <= :now',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':revoked': 'revoked', ':now': Math.floor(now / 1000) },
        },
      },
      {
        Put: {
          TableName: this.table.name,
          Item: { pk: `exception-id#${record.id}`, kind: 'exception-id', target: pk, ttl },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: this.table.name,
          Item: decisionItem({
            decision: 'granted',
            id: record.id,
            policyId: record.policyId,
            account: input.resource.account,
            scope,
            by: input.approver,
            at: record.createdAt,
            expiresAt,
          }),
        },
      },
    ];
    return { items, record };
  }

  private async transact(
    items: TransactItem[],
    subject: string,
    conflict: (index: number) => string,
  ): Promise<void> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const index = (error.CancellationReasons ?? []).findIndex(
          (r) => r.Code === 'ConditionalCheckFailed',
        );
        throw new ExceptionConflictError(conflict(Math.max(index, 0)), subject);
      }
      throw error;
    }
  }
}
