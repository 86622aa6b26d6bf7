/**
 * One place that builds SDK v3 clients, cached per (client, region, account). Clients use
 * the standard credential chain and environment (`AWS_REGION`, `AWS_PROFILE`,
 * `AWS_ENDPOINT_URL`), so a local emulator is reached without any code path of its own.
 */
export interface ClientScope {
  region: string;
  /** Target account; reserved for cross-account role assumption (same credentials today). */
  account?: string;
}

export interface AwsClientsOptions {
  /** SDK retry attempts (standard retry mode); the SDK default is 3. */
  maxAttempts?: number;
  retryMode?: 'standard' | 'adaptive';
}

// Every SDK v3 client constructor has this shape; `destroy` releases its sockets.
type ClientCtor<C> = new (config: {
  region: string;
  maxAttempts?: number;
  retryMode?: string;
}) => C;

export class AwsClients {
  private readonly cache = new Map<string, { destroy(): void }>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 0;

  constructor(private readonly options: AwsClientsOptions = {}) {}

  get<C extends { destroy(): void }>(ctor: ClientCtor<C>, scope: ClientScope): C {
    const key = `${this.idOf(ctor)}|${scope.region}|${scope.account ?? ''}`;
    let client = this.cache.get(key) as C | undefined;
    if (!client) {
      client = new ctor({
        region: scope.region,
        ...(this.options.maxAttempts ? { maxAttempts: this.options.maxAttempts } : {}),
        ...(this.options.retryMode ? { retryMode: this.options.retryMode } : {}),
      });
      this.cache.set(key, client);
    }
    return client;
  }

  /** Closes every client's connections (CLI and tests end cleanly). */
  destroy(): void {
    for (const client of this.cache.values()) client.destroy();
    this.cache.clear();
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
