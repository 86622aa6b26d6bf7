import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsClients } from '../aws/clients';
import { TableIo } from '../aws/table-io';
import { documentClient, type TableRef } from '../exceptions/table';

/**
 * When Rampart first covered each account (its grace period runs from then), kept in the
 * history table as `account` / `<account id>`. The first record wins: a conditional put, so
 * a second sight (or a forged early date) never moves it.
 */
/** IAM actions enrollments need on the history table. */
export const ENROLLMENT_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
] as const;

export interface Enrollment {
  account: string;
  enrolledAt: string;
}

export class Enrollments {
  private readonly db: DynamoDBDocumentClient;
  private readonly io: TableIo;

  constructor(
    clients: AwsClients,
    readonly table: TableRef,
  ) {
    this.db = documentClient(clients, table);
    this.io = new TableIo(this.db, table.name);
  }

  /** The account's enrollment: the existing one, else one made now (at `at`). */
  async enroll(account: string, at: string): Promise<Enrollment> {
    const existing = await this.get(account);
    if (existing) return existing;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table.name,
          Item: { pk: 'account', sk: account, account, enrolledAt: at },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { account, enrolledAt: at };
    } catch (error) {
      // Another function enrolled it between the read and the put: theirs stands.
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      const raced = await this.get(account);
      if (!raced) throw error;
      return raced;
    }
  }

  async get(account: string): Promise<Enrollment | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table.name,
        Key: { pk: 'account', sk: account },
        ConsistentRead: true,
      }),
    );
    const item = out.Item;
    return typeof item?.enrolledAt === 'string'
      ? { account, enrolledAt: item.enrolledAt }
      : undefined;
  }

  /** Every enrollment (bounded by the table reader's page limit). */
  async all(): Promise<Enrollment[]> {
    const items = await this.io.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'account' },
    });
    return items.flatMap((i) =>
      typeof i.sk === 'string' && typeof i.enrolledAt === 'string'
        ? [{ account: i.sk, enrolledAt: i.enrolledAt }]
        : [],
    );
  }
}
