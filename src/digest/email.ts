import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AwsClients } from '../aws/clients';
import type { Digest } from './model';
import { digestText } from './text';

/** SNS limits: a message of at most 256 KiB (UTF-8 bytes), a subject of 100 ASCII characters. */
export const SNS_LIMITS = { messageBytes: 256 * 1024, subjectChars: 100 } as const;

export function digestSubject(digest: Digest): string {
  const subject = `[Rampart] Digest ${digest.to.slice(0, 10)}: ${digest.totals.open} open, ${digest.totals.reverted} reverted`;
  return subject.replace(/[^\x20-\x7e]/g, '?').slice(0, SNS_LIMITS.subjectChars);
}

/**
 * The digest as plain text for e-mail, within SNS's size limit: when every row does not
 * fit, the rows are cut (halving until it fits) and the rest summarized in one line.
 */
export function digestEmail(digest: Digest): { subject: string; message: string } {
  const fits = (text: string) => Buffer.byteLength(text, 'utf8') <= SNS_LIMITS.messageBytes;
  let maxRows = digest.rows.length;
  let message = digestText(digest, { ascii: true });
  for (let i = 0; !fits(message) && i < 64; i++) {
    maxRows = Math.floor(maxRows / 2);
    message = digestText(digest, { ascii: true, maxRows });
  }
  return { subject: digestSubject(digest), message };
}

/** Publishes the e-mail digest to an SNS topic (subscribers get it as plain text). */
export async function publishDigestToSns(
  clients: AwsClients,
  topicArn: string,
  digest: Digest,
): Promise<string | undefined> {
  const { subject, message } = digestEmail(digest);
  const region = topicArn.split(':')[3] ?? 'us-east-1';
  const out = await clients.get(SNSClient, { region }).send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: subject,
      Message: message,
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'digest' } },
    }),
  );
  return out.MessageId;
}
