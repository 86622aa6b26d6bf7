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
  /** Messages and views refused for breaking Slack's Block Kit limits. */
  readonly rejected: { method: string; problem: string }[] = [];
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
    return this.calls.filter(
      (c) => c.method === method && c.status === 200 && c.response?.ok !== false,
    );
  }

  reset(): void {
    this.calls.length = 0;
    this.rejected.length = 0;
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
    const invalid = blockProblem(method, body);
    if (invalid) {
      // Slack answers 200 with ok:false; the client turns it into a platform error.
      const response = { ok: false, error: 'invalid_blocks', errors: [invalid] };
      this.calls.push({ method, body, status: 200, response });
      this.rejected.push({ method, problem: invalid });
      return { status: 200, headers: {}, body: response };
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
      case 'users.lookupByEmail': {
        const wanted = String(body.email).toLowerCase();
        const found = [...this.emails].find(([, e]) => e.toLowerCase() === wanted);
        return found
          ? { ok: true, user: { id: found[0], profile: { email: found[1] } } }
          : { ok: false, error: 'users_not_found' };
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

/**
 * Slack's documented Block Kit limits (the ones Rampart's messages can reach): what the
 * Web API refuses with `invalid_blocks`; undefined when the payload is within them.
 */
export function blockProblem(method: string, body: Record<string, unknown>): string | undefined {
  const isMessage = method === 'chat.postMessage' || method === 'chat.update';
  const view = method === 'views.open' ? (body.view as Record<string, unknown>) : undefined;
  if (!isMessage && !view) return undefined;
  if (view) {
    const title = (view.title as { text?: string } | undefined)?.text ?? '';
    if (title.length > 24) return `view.title is ${title.length} characters (max 24)`;
    const meta = String(view.private_metadata ?? '');
    if (meta.length > 3000) return `view.private_metadata is ${meta.length} characters (max 3000)`;
  }
  const blocks = ((view ? view.blocks : body.blocks) ?? []) as Record<string, unknown>[];
  const max = view ? 100 : 50;
  if (blocks.length > max) return `${blocks.length} blocks (max ${max})`;
  for (const [i, block] of blocks.entries()) {
    const text = (block.text as { text?: string } | undefined)?.text ?? '';
    switch (block.type) {
      case 'header':
        if (text.length > 150) return `blocks[${i}] header text is ${text.length} (max 150)`;
        break;
      case 'section': {
        if (text.length > 3000) return `blocks[${i}] section text is ${text.length} (max 3000)`;
        const fields = (block.fields ?? []) as { text: string }[];
        if (fields.length > 10) return `blocks[${i}] has ${fields.length} fields (max 10)`;
        const long = fields.findIndex((f) => f.text.length > 2000);
        if (long !== -1)
          return `blocks[${i}].fields[${long}] is ${fields[long]!.text.length} (max 2000)`;
        break;
      }
      case 'context': {
        const elements = (block.elements ?? []) as { text?: string }[];
        if (elements.length > 10)
          return `blocks[${i}] context has ${elements.length} elements (max 10)`;
        if (elements.some((e) => (e.text ?? '').length > 2000))
          return `blocks[${i}] context text over 2000`;
        break;
      }
      case 'actions': {
        const elements = (block.elements ?? []) as { text?: { text: string }; value?: string }[];
        if (elements.length > 25) return `blocks[${i}] has ${elements.length} actions (max 25)`;
        if (elements.some((e) => (e.text?.text ?? '').length > 75))
          return `blocks[${i}] button text over 75`;
        if (elements.some((e) => (e.value ?? '').length > 2000))
          return `blocks[${i}] button value over 2000`;
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}
