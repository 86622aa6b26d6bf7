import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What Rampart knows about the SDK calls it makes: their IAM action names, how long one may
 * take, and which are in flight for the unit of work at hand (one event, one record), so a
 * record that runs out of time can say which call it was waiting for.
 */

/**
 * API operations whose IAM action has another name (AWS's Service Authorization Reference):
 * the SDK names operations, IAM names permissions, and for these they differ.
 */
const ACTION_OF_OPERATION: Readonly<Record<string, string>> = {
  's3:ListBuckets': 's3:ListAllMyBuckets',
  's3:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  's3:PutPublicAccessBlock': 's3:PutBucketPublicAccessBlock',
  's3:DeletePublicAccessBlock': 's3:PutBucketPublicAccessBlock',
  's3:HeadBucket': 's3:ListBucket',
};

/**
 * `ec2` + `DescribeSecurityGroupRulesCommand` → `ec2:DescribeSecurityGroupRules`. The
 * service is the client's SigV4 signing name, which is the IAM service prefix (no table of
 * client names to keep in step).
 */
export function iamActionName(service: string, commandName: string): string {
  const operation = `${service}:${commandName.replace(/Command$/, '')}`;
  return ACTION_OF_OPERATION[operation] ?? operation;
}

/** One unit of work (a record): its calls in flight, and the signal that ends it. */
interface Unit {
  calls: Map<number, string>;
  signal?: AbortSignal;
}

const units = new AsyncLocalStorage<Unit>();
let nextCall = 0;

/** A call refused or abandoned because its unit of work ran out of time. */
export class UnitAbortedError extends Error {
  override readonly name = 'UnitAbortedError';
  constructor(readonly action: string) {
    super(`${action}: abandoned, the work it belonged to ran out of time`);
  }
}

/**
 * Runs `work` with its own record of SDK calls in flight (see trackedCall). Once `signal`
 * aborts, the unit's calls in flight are abandoned and no new one starts, so work that
 * outlived its deadline stops at its next AWS call instead of acting late (as a Lambda
 * invocation killed at its timeout would).
 */
export function trackCalls<T>(
  work: () => Promise<T>,
  signal?: AbortSignal,
): { done: Promise<T>; inFlight: () => string[] } {
  const unit: Unit = { calls: new Map(), ...(signal ? { signal } : {}) };
  return {
    done: units.run(unit, work),
    inFlight: () => [...new Set(unit.calls.values())],
  };
}

/**
 * Which piece of the registry a call is made for (`reads AWS::SQS::Queue`, `remediator
 * sqs-add-dlq`): the catalog runs each piece's code under its name, so every call can be
 * checked against what that piece declares (and counted per piece).
 */
const pieces = new AsyncLocalStorage<string>();

export function actingAs<T>(piece: string, work: () => T): T {
  return pieces.run(piece, work);
}

/** One SDK call as observers see it: its IAM action, and the piece that made it, if any. */
export interface ObservedCall {
  action: string;
  piece?: string;
}

const observers = new Set<(call: ObservedCall) => void>();

/** Tells `listener` of every SDK call from now on (metrics, the IAM proof); returns the stop. */
export function observeCalls(listener: (call: ObservedCall) => void): () => void {
  observers.add(listener);
  return () => observers.delete(listener);
}

/** Called by the clients' middleware around every SDK call. */
export async function trackedCall<T>(action: string, call: () => Promise<T>): Promise<T> {
  if (observers.size > 0) {
    const piece = pieces.getStore();
    for (const observe of observers) observe({ action, ...(piece ? { piece } : {}) });
  }
  const unit = units.getStore();
  const signal = unit?.signal;
  if (signal?.aborted) throw new UnitAbortedError(action);
  const id = nextCall++;
  unit?.calls.set(id, action);
  let onAbort: (() => void) | undefined;
  try {
    if (!signal) return await call();
    const abandoned = new Promise<never>((_, reject) => {
      onAbort = () => reject(new UnitAbortedError(action));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    return await Promise.race([call(), abandoned]);
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    unit?.calls.delete(id);
  }
}

/** Stated in the stack: the timeout of the function this process runs in. */
export const FUNCTION_TIMEOUT_ENV = 'RAMPART_FUNCTION_TIMEOUT_SECONDS';

export interface CallTimeouts {
  /** TCP/TLS connection set-up. */
  connectionTimeoutMs: number;
  /** One attempt of one request, start to end. */
  requestTimeoutMs: number;
}

/** Without a function timeout (the CLI): generous, but never unbounded. */
export const DEFAULT_CALL_TIMEOUTS: CallTimeouts = {
  connectionTimeoutMs: 5_000,
  requestTimeoutMs: 30_000,
};

/**
 * Per-call timeouts derived from the function's timeout: every retry of one call (the SDK
 * makes `maxAttempts`) plus backoff fit well inside it, so one hanging call fails that call,
 * not the whole invocation (and with it every other record of the batch).
 */
export function callTimeoutsFor(
  functionTimeoutSeconds: number | undefined,
  maxAttempts = 3,
): CallTimeouts {
  if (!functionTimeoutSeconds || !(functionTimeoutSeconds > 0)) return DEFAULT_CALL_TIMEOUTS;
  const budget = Math.floor((functionTimeoutSeconds * 1000) / (2 * maxAttempts + 1));
  const requestTimeoutMs = Math.min(DEFAULT_CALL_TIMEOUTS.requestTimeoutMs, Math.max(500, budget));
  return {
    requestTimeoutMs,
    connectionTimeoutMs: Math.min(DEFAULT_CALL_TIMEOUTS.connectionTimeoutMs, requestTimeoutMs),
  };
}

export function callTimeoutsFromEnv(env: NodeJS.ProcessEnv = process.env, maxAttempts = 3) {
  const seconds = Number(env[FUNCTION_TIMEOUT_ENV]);
  return callTimeoutsFor(Number.isFinite(seconds) ? seconds : undefined, maxAttempts);
}
