import type { AwsCredentialIdentity } from '@smithy/types';
import { callTimeoutsFromEnv, iamActionName, trackedCall, type CallTimeouts } from './calls';
import { RoleSessions, crossAccountFromEnv, type CrossAccountOptions } from './role-sessions';

/**
 * One place that builds SDK v3 clients, cached per (client, region, account). Clients use
 * the standard credential chain and environment (`AWS_REGION`, `AWS_PROFILE`,
 * `AWS_ENDPOINT_URL`), so a local emulator is reached without any code path of its own.
 */
export interface ClientScope {
  region: string;
  /** Target account: with cross-account settings, another account's calls use its role. */
  account?: string;
}

export interface AwsClientsOptions {
  /** SDK retry attempts (standard retry mode); the SDK default is 3. */
  maxAttempts?: number;
  retryMode?: 'standard' | 'adaptive';
  /**
   * Assume a role in target accounts other than the home one. Defaults to the settings in
   * RAMPART_REMEDIATION_ROLE_NAME and RAMPART_HOME_ACCOUNT (set by the stack); `false` = never.
   */
  crossAccount?: CrossAccountOptions | false;
  /**
   * Connection and per-attempt request timeouts. Defaults derive from the function timeout
   * the stack states (RAMPART_FUNCTION_TIMEOUT_SECONDS), else src/aws/calls.ts's defaults:
   * no call is ever left to hang.
   */
  timeouts?: CallTimeouts;
}

// Every SDK v3 client constructor has this shape; `destroy` releases its sockets.
type ClientCtor<C> = new (config: {
  region: string;
  maxAttempts?: number;
  retryMode?: string;
  credentials?: () => Promise<AwsCredentialIdentity>;
  requestHandler?: {
    connectionTimeout: number;
    requestTimeout: number;
    throwOnRequestTimeout: boolean;
  };
}) => C;

type Middleware = (
  next: (args: unknown) => Promise<unknown>,
  context: { clientName?: string; commandName?: string },
) => (args: unknown) => Promise<unknown>;
type WithMiddleware = {
  middlewareStack?: { add(mw: Middleware, options: { step: 'initialize'; name: string }): void };
  config?: { defaultSigningName?: string };
};

export class ClientSetupError extends Error {
  override readonly name = 'ClientSetupError';
}

/**
 * Around every SDK call: its IAM action is recorded as in flight for the current unit of
 * work, and a failure carries it (`iamAction`), so errors and timeouts name the call.
 */
const nameAndTrackCalls =
  (service: string): Middleware =>
  (next, context) =>
  async (args) => {
    const action = iamActionName(service, context.commandName ?? 'UnknownCommand');
    try {
      return await trackedCall(action, () => next(args));
    } catch (error) {
      if (error && typeof error === 'object') {
        Object.assign(error, { iamAction: action });
        if ((error as Error).name === 'TimeoutError' && error instanceof Error) {
          error.message = `${action} did not answer in time: ${error.message}`;
        }
      }
      throw error;
    }
  };

export class AwsClients {
  private readonly cache = new Map<string, { destroy(): void }>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 0;

  private readonly roles: RoleSessions | undefined;
  readonly timeouts: CallTimeouts;

  constructor(private readonly options: AwsClientsOptions = {}) {
    const crossAccount =
      options.crossAccount === undefined ? crossAccountFromEnv() : options.crossAccount;
    this.timeouts = options.timeouts ?? callTimeoutsFromEnv(process.env, options.maxAttempts);
    this.roles = crossAccount
      ? new RoleSessions({ timeouts: this.timeouts, ...crossAccount })
      : undefined;
  }

  get<C extends { destroy(): void }>(ctor: ClientCtor<C>, scope: ClientScope): C {
    const key = `${this.idOf(ctor)}|${scope.region}|${scope.account ?? ''}`;
    let client = this.cache.get(key) as C | undefined;
    if (!client) {
      client = new ctor({
        region: scope.region,
        ...(this.options.maxAttempts ? { maxAttempts: this.options.maxAttempts } : {}),
        ...(this.options.retryMode ? { retryMode: this.options.retryMode } : {}),
        ...(this.roles?.needsRole(scope.account)
          ? { credentials: this.roles.provider(scope.account, scope.region) }
          : {}),
        requestHandler: {
          connectionTimeout: this.timeouts.connectionTimeoutMs,
          requestTimeout: this.timeouts.requestTimeoutMs,
          throwOnRequestTimeout: true,
        },
      });
      const sdk = client as WithMiddleware;
      const service = sdk.config?.defaultSigningName;
      if (!service) {
        throw new ClientSetupError(
          'an SDK client without a signing name: its IAM actions cannot be named',
        );
      }
      sdk.middlewareStack?.add(nameAndTrackCalls(service), {
        step: 'initialize',
        name: 'rampartNameAndTrackCalls',
      });
      this.cache.set(key, client);
    }
    return client;
  }

  /** Closes every client's connections (CLI and tests end cleanly). */
  destroy(): void {
    for (const client of this.cache.values()) client.destroy();
    this.cache.clear();
    this.roles?.destroy();
  }

  // Constructor names are mangled by minifiers; identity is what distinguishes clients.
  private idOf(ctor: object): number {
    let id = this.ids.get(ctor);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(ctor, id);
    }
    return id;
  }
}
