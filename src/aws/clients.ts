import type { AwsCredentialIdentity } from '@smithy/types';
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
}

// Every SDK v3 client constructor has this shape; `destroy` releases its sockets.
type ClientCtor<C> = new (config: {
  region: string;
  maxAttempts?: number;
  retryMode?: string;
  credentials?: () => Promise<AwsCredentialIdentity>;
}) => C;

export class AwsClients {
  private readonly cache = new Map<string, { destroy(): void }>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 0;

  private readonly roles: RoleSessions | undefined;

  constructor(private readonly options: AwsClientsOptions = {}) {
    const crossAccount =
      options.crossAccount === undefined ? crossAccountFromEnv() : options.crossAccount;
    this.roles = crossAccount ? new RoleSessions(crossAccount) : undefined;
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
