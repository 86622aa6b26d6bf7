import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Starts and stops a local moto server: the emulated AWS account used by the demo, the
 * tests and the benchmarks. Production code never imports this; it only needs
 * AWS_ENDPOINT_URL pointing at the server.
 */
export class MotoError extends Error {
  override readonly name = 'MotoError';
  constructor(
    message: string,
    readonly output?: string,
  ) {
    super(message);
  }
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface MotoServer {
  endpoint: string;
  port: number;
  /** Environment for SDK clients (and child processes) to reach this server. */
  env: Record<string, string>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** The python that has the pinned moto (installs it into .venv-moto when missing). */
export function motoPython(): string {
  try {
    return execFileSync('bash', [resolve(ROOT, 'scripts/ensure-moto.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
  } catch (error) {
    throw new MotoError(`cannot provide moto: ${(error as Error).message}`);
  }
}

export const MOTO_DUMMY_ENV = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_SESSION_TOKEN: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
} as const;

async function waitUntilUp(
  endpoint: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new MotoError(`moto server exited with code ${child.exitCode}`, output());
    }
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`, {
        signal: AbortSignal.timeout(1000),
      });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new MotoError(`moto server did not answer within ${timeoutMs} ms`, output());
}

export interface StartMotoOptions {
  /** Load AWS managed IAM policies (AdministratorAccess, ...); slower to start. */
  iamManagedPolicies?: boolean;
  startTimeoutMs?: number;
}

export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  const python = motoPython();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...(options.iamManagedPolicies ? { MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' } : {}),
    },
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000); // the tail is enough to diagnose a failed start
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitUntilUp(endpoint, child, () => log, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    endpoint,
    port,
    env: { ...MOTO_DUMMY_ENV, AWS_ENDPOINT_URL: endpoint },
    async reset() {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    stop,
  };
}
