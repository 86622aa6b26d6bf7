import * as z from 'zod';
import { ACCOUNT_ID_EXPECTED, isAccountId, isAwsRegion } from '../domain/identifiers';
import { parseConfigItemChange, type ConfigItemChange } from './config-item';
import { MalformedEventError } from './errors';

/**
 * How AWS Config invokes the Lambda function of a custom rule: the rule, the token its
 * evaluations must carry, and `invokingEvent` (a JSON string) saying what changed or that
 * the rule's period came round. Shapes as the AWS Config developer guide documents them
 * ("Example events for AWS Config rules").
 */
export type ConfigRuleTrigger =
  | { kind: 'change'; change: ConfigItemChange; notificationTime: string }
  | { kind: 'scheduled'; notificationTime: string };

export interface ConfigRuleInvocation {
  ruleName: string;
  ruleArn: string;
  /** The rule's account (and so the account its evaluations belong to). */
  account: string;
  /** The rule's region, from its ARN: PutEvaluations with its token is answered there. */
  region: string;
  resultToken: string;
  /** `resultToken: "TESTMODE"` (the RDK convention): Config validates and records nothing. */
  testMode: boolean;
  /** The resource left the rule's scope: its evaluation is NOT_APPLICABLE. */
  eventLeftScope: boolean;
  trigger: ConfigRuleTrigger;
}

/** Size bounds of an invocation (Lambda's asynchronous payload is at most 1 MiB). */
export const CONFIG_RULE_INVOCATION_LIMITS = {
  invokingEventChars: 1_048_576,
  resultTokenChars: 32_768,
  /** AWS Config rule names are 1–128 characters. */
  ruleNameChars: 128,
} as const;

export const TEST_MODE_TOKEN = 'TESTMODE';

const RULE_ARN = /^arn:(aws[a-z-]*):config:([a-z0-9-]+):(\d{12}):config-rule\/[A-Za-z0-9-]+$/;

const invocationSchema = z.looseObject({
  version: z.string().optional(),
  invokingEvent: z.string().min(2).max(CONFIG_RULE_INVOCATION_LIMITS.invokingEventChars),
  resultToken: z.string().min(1).max(CONFIG_RULE_INVOCATION_LIMITS.resultTokenChars),
  configRuleName: z.string().min(1).max(CONFIG_RULE_INVOCATION_LIMITS.ruleNameChars),
  configRuleArn: z
    .string()
    .regex(RULE_ARN, 'expected arn:<partition>:config:<region>:<account>:config-rule/<id>'),
  accountId: z.string(),
  eventLeftScope: z.boolean().optional(),
});

const messageTypes = [
  'ConfigurationItemChangeNotification',
  'OversizedConfigurationItemChangeNotification',
  'ScheduledNotification',
] as const;

const invokingEventSchema = z.looseObject({
  messageType: z.enum(messageTypes),
  notificationCreationTime: z.string().min(1),
  awsAccountId: z.string().optional(),
});

function fail(prefix: string, error: z.ZodError): MalformedEventError {
  const issue = error.issues[0]!;
  const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  const problem =
    issue.code === 'invalid_type' && issue.input === undefined ? 'is missing' : issue.message;
  return new MalformedEventError(field, problem);
}

function isoTime(value: string, field: string): string {
  const ms = new Date(value).getTime();
  if (Number.isNaN(ms)) {
    throw new MalformedEventError(field, `is not a date: ${JSON.stringify(value.slice(0, 64))}`);
  }
  return new Date(ms).toISOString();
}

/**
 * Parses a rule invocation; throws MalformedEventError naming the field. The rule's ARN,
 * `accountId` and the item must all name the same account: evaluations are never put for a
 * resource of another account than the rule's.
 */
export function parseConfigRuleInvocation(input: unknown): ConfigRuleInvocation {
  const parsed = invocationSchema.safeParse(input);
  if (!parsed.success) throw fail('', parsed.error);
  const d = parsed.data;
  const [, , region, arnAccount] = RULE_ARN.exec(d.configRuleArn)!;
  if (!isAccountId(d.accountId)) {
    throw new MalformedEventError(
      'accountId',
      `${JSON.stringify(d.accountId.slice(0, 64))}: ${ACCOUNT_ID_EXPECTED}`,
    );
  }
  if (!isAwsRegion(region)) {
    throw new MalformedEventError(
      'configRuleArn',
      `names no AWS region (${JSON.stringify(region)})`,
    );
  }
  if (arnAccount !== d.accountId) {
    throw new MalformedEventError(
      'configRuleArn',
      `is a rule of account ${arnAccount}, not of accountId ${d.accountId}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(d.invokingEvent);
  } catch (error) {
    throw new MalformedEventError('invokingEvent', `is not JSON: ${(error as Error).message}`);
  }
  const head = invokingEventSchema.safeParse(raw);
  if (!head.success) throw fail('invokingEvent', head.error);
  const notificationTime = isoTime(
    head.data.notificationCreationTime,
    'invokingEvent.notificationCreationTime',
  );
  let trigger: ConfigRuleTrigger;
  if (head.data.messageType === 'ScheduledNotification') {
    if (head.data.awsAccountId !== undefined && head.data.awsAccountId !== d.accountId) {
      throw new MalformedEventError(
        'invokingEvent.awsAccountId',
        `is ${JSON.stringify(head.data.awsAccountId.slice(0, 64))}, not the rule's account ${d.accountId}`,
      );
    }
    trigger = { kind: 'scheduled', notificationTime };
  } else {
    // The item and the oversized summary read exactly as on the EventBridge path.
    let change: ConfigItemChange;
    try {
      change = parseConfigItemChange(raw);
    } catch (error) {
      if (!(error instanceof MalformedEventError)) throw error;
      throw new MalformedEventError(error.field.replace(/^detail/, 'invokingEvent'), error.problem);
    }
    const itemAccount = change.kind === 'item' ? change.item.account : change.summary.account;
    if (itemAccount !== d.accountId) {
      throw new MalformedEventError(
        change.kind === 'item'
          ? 'invokingEvent.configurationItem.awsAccountId'
          : 'invokingEvent.configurationItemSummary.awsAccountId',
        `is ${itemAccount}, not the rule's account ${d.accountId}`,
      );
    }
    trigger = { kind: 'change', change, notificationTime };
  }
  return {
    ruleName: d.configRuleName,
    ruleArn: d.configRuleArn,
    account: d.accountId,
    region: region!,
    resultToken: d.resultToken,
    testMode: d.resultToken === TEST_MODE_TOKEN,
    eventLeftScope: d.eventLeftScope === true,
    trigger,
  };
}
