import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DemoContext } from '../scenario';

/** Creates a queue (or finds it) and returns its URL and ARN. */
export async function demoQueue(
  ctx: DemoContext,
  name: string,
  attributes: Record<string, string> = {},
): Promise<{ url: string; arn: string }> {
  const sqs = ctx.clients.get(SQSClient, ctx);
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
  );
  const attrs = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: QueueUrl!, AttributeNames: ['QueueArn'] }),
  );
  return { url: QueueUrl!, arn: attrs.Attributes!.QueueArn! };
}

/** The last segment of an ARN: what a human reads. */
export const shortName = (arn: string | undefined) => arn?.split(/[:/]/).pop() ?? 'none';
