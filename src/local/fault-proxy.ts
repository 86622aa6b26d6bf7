import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP proxy between the SDK clients and moto that injects faults per API and
 * at a given rate: throttling (in the error shape of each protocol, so the SDK classifies
 * it as throttling), 500/503, arbitrary service errors (e.g. access denied), connection
 * resets before or after moto has acted, and added latency. Given to the SDK as
 * AWS_ENDPOINT_URL; moto has no fault injection of its own. Tests and benches only.
 */
export class FaultProxyError extends Error {
  override readonly name = 'FaultProxyError';
  constructor(
    message: string,
    readonly rule?: FaultRule,
  ) {
    super(message);
  }
}

export type Fault =
  /** ThrottlingException (JSON) / RequestLimitExceeded (EC2) / Throttling (other query APIs). */
  | { kind: 'throttle' }
  /** InternalError 500 or ServiceUnavailable 503. */
  | { kind: 'server-error'; status: 500 | 503 }
  /** Any service error, e.g. `{ status: 403, code: 'UnauthorizedOperation' }`. */
  | { kind: 'error'; status: number; code: string; message?: string }
  /** The connection is dropped before the request reaches moto. */
  | { kind: 'reset' }
  /** moto handles the request, then the connection is dropped: the change happened unseen. */
  | { kind: 'reset-after' }
  /** Adds latency, then lets the request through (other rules may still fire). */
  | { kind: 'latency'; ms: number }
  /** Never answers: the connection stays open until the client gives up or the proxy closes. */
  | { kind: 'hang' };

export interface FaultRule {
  /**
   * Which API calls it applies to: `*`, `service:*`, `service:Operation` (e.g.
   * `ec2:RevokeSecurityGroupIngress`, `dynamodb:PutItem`), or a predicate on that name.
   */
  api: string | ((api: string) => boolean);
  /** Probability in [0, 1] that a matching call gets the fault. */
  rate: number;
  fault: Fault;
  /** Inject at most this many times (e.g. `1`: only the first matching call). */
  times?: number;
}

export interface FaultProxyOptions {
  /** Where requests go, e.g. moto's `http://127.0.0.1:port`. */
  target: string;
  rules?: FaultRule[];
  /** Seed of the pseudo-random generator: the same seed gives the same fault sequence. */
  seed?: number;
}

export interface FaultStats {
  /** Calls seen per API name. */
  calls: Record<string, number>;
  /** Injected faults per `api fault-kind`. */
  injected: Record<string, number>;
  forwarded: number;
}

export interface FaultProxy {
  endpoint: string;
  port: number;
  setRules(rules: FaultRule[], seed?: number): void;
  stats(): FaultStats;
  resetStats(): void;
  close(): Promise<void>;
}

/** mulberry32: tiny, fast and good enough to make fault sequences reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Protocol = 'json' | 'rest-json' | 'ec2-query' | 'query' | 'rest-xml';

interface CallInfo {
  api: string;
  service: string;
  protocol: Protocol;
}

/** Names the call `service:Operation` from the signature scope and the protocol's action field. */
export function identifyCall(
  method: string,
  url: string,
  headers: IncomingMessage['headers'],
  body: string,
): CallInfo {
  const auth = String(headers.authorization ?? '');
  const service = auth.match(/Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//)?.[1] ?? 'unknown';
  const target = headers['x-amz-target'];
  if (typeof target === 'string') {
    return { api: `${service}:${target.split('.').pop()}`, service, protocol: 'json' };
  }
  const query = new URL(url, 'http://x').searchParams.get('Action');
  const contentType = String(headers['content-type'] ?? '');
  const form = contentType.includes('x-www-form-urlencoded')
    ? new URLSearchParams(body).get('Action')
    : null;
  const action = form ?? query;
  if (action) {
    return {
      api: `${service}:${action}`,
      service,
      protocol: service === 'ec2' ? 'ec2-query' : 'query',
    };
  }
  const path = new URL(url, 'http://x').pathname;
  const rest: Protocol = ['s3', 's3-control'].includes(service) ? 'rest-xml' : 'rest-json';
  return { api: `${service}:${method} ${path}`, service, protocol: rest };
}

function matches(rule: FaultRule, api: string): boolean {
  if (typeof rule.api === 'function') return rule.api(api);
  if (rule.api === '*') return true;
  if (rule.api.endsWith(':*')) return api.startsWith(rule.api.slice(0, -1));
  return rule.api === api;
}

function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The error body each protocol uses, so the SDK parses the code as a real service would. */
export function errorResponse(
  protocol: Protocol,
  status: number,
  code: string,
  message: string,
): { status: number; headers: Record<string, string>; body: string } {
  const requestId = `fault-${Math.random().toString(16).slice(2, 10)}`;
  switch (protocol) {
    case 'json':
    case 'rest-json':
      return {
        status,
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-errortype': code,
          'x-amzn-requestid': requestId,
        },
        body: JSON.stringify({ __type: code, message }),
      };
    case 'ec2-query':
      return {
        status,
        headers: { 'content-type': 'text/xml' },
        body: `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
      };
    case 'query':
      return {
        status,
        headers: { 'content-type': 'text/xml' },
        body: `<ErrorResponse><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    case 'rest-xml':
      return {
        status,
        headers: { 'content-type': 'application/xml' },
        body: `<Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message><RequestId>${requestId}</RequestId></Error>`,
      };
  }
}

function throttleOf(protocol: Protocol): { status: number; code: string } {
  switch (protocol) {
    case 'ec2-query':
      return { status: 503, code: 'RequestLimitExceeded' };
    case 'query':
      return { status: 400, code: 'Throttling' };
    case 'rest-xml':
      return { status: 503, code: 'SlowDown' };
    default:
      return { status: 400, code: 'ThrottlingException' };
  }
}

function validate(rules: FaultRule[]): FaultRule[] {
  for (const rule of rules) {
    if (!(rule.rate >= 0 && rule.rate <= 1)) {
      throw new FaultProxyError(`fault rate must be within [0, 1], got ${rule.rate}`, rule);
    }
    if (rule.fault.kind === 'latency' && !(rule.fault.ms >= 0)) {
      throw new FaultProxyError(`latency must be >= 0 ms, got ${rule.fault.ms}`, rule);
    }
  }
  return rules;
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  let rules = validate(options.rules ?? []);
  let used = new Map<FaultRule, number>();
  let random = seededRandom(options.seed ?? 1);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let stats: FaultStats = { calls: {}, injected: {}, forwarded: 0 };

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  function send(res: ServerResponse, r: ReturnType<typeof errorResponse>): void {
    res.writeHead(r.status, { ...r.headers, 'content-length': Buffer.byteLength(r.body) });
    res.end(r.body);
  }

  function forward(
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
    return new Promise((resolveForward, reject) => {
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
          agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolveForward({
              status: res.statusCode ?? 502,
              headers: res.headers,
              body: Buffer.concat(chunks),
            }),
          );
          res.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const call = identifyCall(req.method ?? 'GET', req.url ?? '/', req.headers, body.toString());
    stats.calls[call.api] = (stats.calls[call.api] ?? 0) + 1;

    let terminal: Fault | undefined;
    for (const rule of rules) {
      if (!matches(rule, call.api) || random() >= rule.rate) continue;
      if (rule.times !== undefined && (used.get(rule) ?? 0) >= rule.times) continue;
      used.set(rule, (used.get(rule) ?? 0) + 1);
      const key = `${call.api} ${rule.fault.kind}`;
      stats.injected[key] = (stats.injected[key] ?? 0) + 1;
      if (rule.fault.kind === 'latency') {
        await sleep(rule.fault.ms);
        continue;
      }
      terminal = rule.fault;
      break;
    }

    switch (terminal?.kind) {
      case 'throttle': {
        const t = throttleOf(call.protocol);
        return send(
          res,
          errorResponse(call.protocol, t.status, t.code, 'Rate exceeded (injected)'),
        );
      }
      case 'server-error':
        return send(
          res,
          errorResponse(
            call.protocol,
            terminal.status,
            terminal.status === 503 ? 'ServiceUnavailable' : 'InternalError',
            'injected server error',
          ),
        );
      case 'error':
        return send(
          res,
          errorResponse(
            call.protocol,
            terminal.status,
            terminal.code,
            terminal.message ?? `${terminal.code} (injected)`,
          ),
        );
      case 'reset':
        req.socket.destroy();
        return;
      case 'hang':
        return; // nothing is ever sent; close() destroys the connection
      default:
        break;
    }
    const upstream = await forward(req, body);
    stats.forwarded++;
    if (terminal?.kind === 'reset-after') {
      req.socket.destroy();
      return;
    }
    const headers = { ...upstream.headers };
    delete headers['transfer-encoding'];
    headers['content-length'] = String(upstream.body.length);
    res.writeHead(upstream.status, headers);
    res.end(upstream.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // moto itself unreachable: answer like a gateway would, the SDK retries 502.
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`fault proxy: ${(error as Error).message}`);
      } else {
        res.destroy();
      }
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    setRules(next, seed) {
      rules = validate(next);
      used = new Map();
      if (seed !== undefined) random = seededRandom(seed);
    },
    stats: () => structuredClone(stats),
    resetStats() {
      stats = { calls: {}, injected: {}, forwarded: 0 };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      agent.destroy();
    },
  };
}
