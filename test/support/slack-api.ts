import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call as the stand-in received it, with JSON-encoded fields decoded. */
export interface RecordedCall {
  method: string;
  body: Record<string, unknown>;
  /** HTTP status the stand-in answered. */
  status: number;
  /** The JSON answer (successful calls). */
  response?: Record<string, unknown>;
}

export type Fault = { status: 429; retryAfterSeconds: number } | { status: 500 | 503 };

/**
 * A local stand-in for the Slack Web API (point `slackApiUrl` at `url`). It records every
 * call, answers like Slack for the methods Rampart uses, and can be told to fail the next
 * calls of a method with 429 (+ Retry-After) or 5xx. Listens on 127.0.0.1 only.
 */
export class SlackApiStandIn {
  readonly calls: RecordedCall[] = [];
  /** Members of user groups, for `usergroups.users.list`. */
  readonly userGroups = new Map<string, string[]>();
  /** Profile emails, for `users.info`. */
  readonly emails = new Map<string, string>();
  private readonly faults = new Map<string, Fault[]>();
  private server?: Server;
  private nextTs = 1_700_000_000;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, headers, body }) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/api/`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  /** The next `times` calls of `method` answer with the fault instead. */
  failNext(method: string, fault: Fault, times = 1): void {
    const queue = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.faults.set(method, queue);
  }

  /** Successful calls of one method, oldest first. */
  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && c.status === 200);
  }

  reset(): void {
    this.calls.length = 0;
    this.faults.clear();
  }

  private async handle(req: IncomingMessage) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
    const body = decodeBody(raw, req.headers['content-type'] ?? '');
    const fault = this.faults.get(method)?.shift();
    if (fault) {
      this.calls.push({ method, body, status: fault.status });
      return fault.status === 429
        ? {
            status: 429,
            headers: { 'retry-after': String(fault.retryAfterSeconds) },
            body: { ok: false, error: 'ratelimited' },
          }
        : { status: fault.status, headers: {}, body: { ok: false, error: 'internal_error' } };
    }
    const response = this.answer(method, body);
    this.calls.push({ method, body, status: 200, response });
    return { status: 200, headers: {}, body: response };
  }

  private answer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0RAMPART', user: 'rampart' };
      case 'chat.postMessage':
        return {
          ok: true,
          channel: body.channel,
          ts: `${this.nextTs++}.000100`,
          message: { text: body.text },
        };
      case 'chat.update':
        return { ok: true, channel: body.channel, ts: body.ts };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${this.nextTs++}.000200` };
      case 'views.open':
        return { ok: true, view: { id: `V${this.nextTs++}` } };
      case 'users.info': {
        const id = String(body.user);
        const email = this.emails.get(id);
        return { ok: true, user: { id, name: id.toLowerCase(), profile: email ? { email } : {} } };
      }
      case 'usergroups.users.list':
        return { ok: true, users: this.userGroups.get(String(body.usergroup)) ?? [] };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

/** The Web API client sends forms whose object fields are JSON; JSON bodies are accepted too. */
function decodeBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json'))
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    try {
      out[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
    } catch {
      out[key] = value;
    }
  }
  return out;
}
