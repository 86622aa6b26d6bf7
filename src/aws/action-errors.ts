import { AwsClients, type ClientScope } from './clients';

/** The IAM service prefix of each SDK client Rampart uses (the SDK names clients, not services). */
const SERVICE_PREFIXES: Record<string, string> = {
  EC2Client: 'ec2',
  DynamoDBClient: 'dynamodb',
  RDSClient: 'rds',
  LambdaClient: 'lambda',
  SQSClient: 'sqs',
  SNSClient: 'sns',
  EventBridgeClient: 'events',
  IAMClient: 'iam',
  ConfigServiceClient: 'config',
  STSClient: 'sts',
  SchedulerClient: 'scheduler',
  SecretsManagerClient: 'secretsmanager',
};

/** Error names AWS answers with when the caller may not make a call (or has no valid credentials). */
export const ACCESS_ERROR_NAMES = [
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'AuthorizationErrorException',
  'AuthFailure',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'ExpiredToken',
  'ExpiredTokenException',
  'CredentialsProviderError',
] as const;

/** The IAM action a failed SDK call was, when the error came through ActionNamingClients. */
export function iamActionOf(error: unknown): string | undefined {
  const action = (error as { iamAction?: unknown } | null)?.iamAction;
  return typeof action === 'string' ? action : undefined;
}

export function isAccessError(error: unknown): boolean {
  const e = error as { name?: string; Code?: string; code?: string } | null;
  const names: readonly string[] = ACCESS_ERROR_NAMES;
  return !!e && [e.name, e.Code, e.code].some((n) => n !== undefined && names.includes(n));
}

type Stack = {
  middlewareStack?: {
    add(
      mw: (
        next: (args: unknown) => Promise<unknown>,
        context: { clientName?: string; commandName?: string },
      ) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
};

/**
 * SDK clients whose errors carry the IAM action of the failed call (`iamAction`, e.g.
 * `ec2:DescribeSecurityGroupRules`), so an access error can name what was denied.
 */
export class ActionNamingClients extends AwsClients {
  private readonly named = new WeakSet<object>();

  override get<C extends { destroy(): void }>(
    ctor: new (config: never) => C,
    scope: ClientScope,
  ): C {
    const client = super.get(ctor as never, scope) as C & Stack;
    if (!this.named.has(client) && client.middlewareStack) {
      this.named.add(client);
      client.middlewareStack.add(
        (next, context) => async (args) => {
          try {
            return await next(args);
          } catch (error) {
            if (error && typeof error === 'object' && context.commandName) {
              const service =
                SERVICE_PREFIXES[context.clientName ?? ''] ??
                (context.clientName ?? '').replace(/Client$/, '').toLowerCase();
              const action = context.commandName.replace(/Command$/, '');
              Object.assign(error, { iamAction: `${service}:${action}` });
            }
            throw error;
          }
        },
        { step: 'initialize', name: 'rampartIamActionOfErrors' },
      );
    }
    return client;
  }
}
