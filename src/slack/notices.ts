import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsClients } from '../aws/clients';
import { documentClient, type TableRef } from '../exceptions/table';
import type { Notice } from '../notices/notice';

/** Notices are kept long enough to answer late clicks, then TTL removes them. */
const NOTICE_RETENTION_DAYS = 90;

/** A posted notice: where its Slack message is, and what it shows. */
export interface PostedNotice {
  notice: Notice;
  channel: string;
  ts: string;
}

/** Posted notices in the exceptions table, so updates edit the message (`chat.update`). */
export class NoticeStore {
  private readonly db: DynamoDBDocumentClient;

  constructor(
    clients: AwsClients,
    readonly table: TableRef,
  ) {
    this.db = documentClient(clients, table);
  }

  async get(id: string): Promise<PostedNotice | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table.name,
        Key: { pk: `notice#${id}` },
        ConsistentRead: true,
      }),
    );
    if (!out.Item) return undefined;
    return { notice: out.Item.notice as Notice, channel: out.Item.channel, ts: out.Item.ts };
  }

  async put(posted: PostedNotice, now: number): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table.name,
        Item: {
          pk: `notice#${posted.notice.id}`,
          kind: 'notice',
          ...posted,
          ttl: Math.floor(now / 1000) + NOTICE_RETENTION_DAYS * 86400,
        },
      }),
    );
  }
}
