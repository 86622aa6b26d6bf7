import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { partitionOf } from '../domain';
import { errorMessage } from '../errors';
import { ownSessionName } from '../config/own-identity';
import { DEFAULT_CALL_TIMEOUTS, type CallTimeouts } from './calls';

/** A role in a target account could not be assumed; nothing is done in that account. */
export class AssumeRoleError extends Error {
  override readonly name = 'AssumeRoleError';
  constructor(
    message: string,
    readonly account: string,
    readonly roleArn: string,
  ) {
    super(message);
  }
}

export interface CrossAccountOptions {
  /** Role assumed in every target account other than `homeAccount`. */
  roleName: string;
  /** The account whose own credentials are used as they are. */
  homeAccount: string;
  /** Shows in the target account's CloudTrail as the assumed-role session name. */
  sessionName?: string;
  /** Sessions are renewed this long before they expire (default 5 minutes). */
  refreshBeforeMs?: number;
  durationSeconds?: number;
  /** Region of the STS endpoint (defaults to AWS_REGION). */
  stsRegion?: string;
  /** Timeouts of the STS calls (AwsClients passes its own). */
  timeouts?: CallTimeouts;
  /** For tests: the STS client and the clock. */
  sts?: STSClient;
  now?: () => number;
}

/**
 * Reads the cross-account settings the stack gives the evaluator; undefined when they are
 * absent (local runs and tests use their own credentials in every account).
 */
export function crossAccountFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): CrossAccountOptions | undefined {
  const roleName = env.RAMPART_REMEDIATION_ROLE_NAME;
  const homeAccount = env.RAMPART_HOME_ACCOUNT;
  if (!roleName || !homeAccount) return undefined;
  return { roleName, homeAccount };
}

interface Session {
  credentials: AwsCredentialIdentity;
  expiresAt: number;
}

/**
 * STS sessions of the remediation role, one per target account, shared by every client of
 * that account and renewed only when close to expiry. Concurrent requests share one call.
 */
export class RoleSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly pending = new Map<string, Promise<Session>>();
  private sts: STSClient | undefined;
  private readonly now: () => number;

  constructor(readonly options: CrossAccountOptions) {
    this.sts = options.sts;
    this.now = options.now ?? Date.now;
  }

  /** True when calls into `account` must go through the assumed role. */
  needsRole(account: string | undefined): account is string {
    return account !== undefined && account !== this.options.homeAccount;
  }

  roleArn(account: string, region: string): string {
    return `arn:${partitionOf(region)}:iam::${account}:role/${this.options.roleName}`;
  }

  /** A credential provider for SDK clients of one account (the SDK calls it per request). */
  provider(account: string, region: string): () => Promise<AwsCredentialIdentity> {
    return async () => (await this.session(account, region)).credentials;
  }

  async session(account: string, region: string): Promise<Session> {
    const cached = this.sessions.get(account);
    const margin = this.options.refreshBeforeMs ?? 5 * 60_000;
    if (cached && cached.expiresAt - margin > this.now()) return cached;
    let inFlight = this.pending.get(account);
    if (!inFlight) {
      inFlight = this.assume(account, region).finally(() => this.pending.delete(account));
      this.pending.set(account, inFlight);
    }
    return inFlight;
  }

  private async assume(account: string, region: string): Promise<Session> {
    const roleArn = this.roleArn(account, region);
    const timeouts = this.options.timeouts ?? DEFAULT_CALL_TIMEOUTS;
    this.sts ??= new STSClient({
      region: this.options.stsRegion ?? process.env.AWS_REGION ?? region,
      requestHandler: {
        connectionTimeout: timeouts.connectionTimeoutMs,
        requestTimeout: timeouts.requestTimeoutMs,
        throwOnRequestTimeout: true,
      },
    });
    let out;
    try {
      out = await this.sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: this.options.sessionName ?? ownSessionName(),
          DurationSeconds: this.options.durationSeconds ?? 3600,
        }),
      );
    } catch (error) {
      throw new AssumeRoleError(
        `cannot assume ${roleArn}: ${errorMessage(error)}`,
        account,
        roleArn,
      );
    }
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.Expiration) {
      throw new AssumeRoleError(`STS returned no credentials for ${roleArn}`, account, roleArn);
    }
    const session: Session = {
      credentials: {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
        expiration: c.Expiration,
      },
      expiresAt: c.Expiration.getTime(),
    };
    this.sessions.set(account, session);
    return session;
  }

  destroy(): void {
    if (!this.options.sts) this.sts?.destroy();
    this.sessions.clear();
  }
}
