/**
 * The normalized snapshot of this resource type and the pure helpers policies use: no AWS
 * SDK at run time, so a policy's import graph stays small (test/policies/sdk-free.test.ts).
 */
import type { Snapshot } from '../../engine/definitions';

export const SNS_TOPIC = 'AWS::SNS::Topic' as const;

export interface SnsTopicSnapshot extends Snapshot {
  type: typeof SNS_TOPIC;
  topicArn: string;
  topicName: string;
  kmsMasterKeyId?: string;
  /** AWS services the topic's access policy lets publish (`events.amazonaws.com`…). */
  servicePublishers: string[];
}

/** Service principals allowed by a topic access policy (JSON text), sorted. */
export function servicePrincipalsOf(policy: string | undefined): string[] {
  if (!policy) return [];
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(policy) as { Statement?: unknown };
  } catch {
    return [];
  }
  const statements = [doc.Statement]
    .flat()
    .filter((s): s is Record<string, unknown> => !!s && typeof s === 'object');
  const found = new Set<string>();
  for (const s of statements) {
    if (s.Effect !== 'Allow') continue;
    const principal = s.Principal as { Service?: unknown } | undefined;
    for (const svc of [principal?.Service].flat()) if (typeof svc === 'string') found.add(svc);
  }
  return [...found].sort();
}
