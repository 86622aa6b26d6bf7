import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { slackPayloadProblem } from './payloads';

/**
 * Slack's request signing, checked before anything reads the body: bolt's receivers only
 * refuse timestamps in the past and (on Lambda) parse the body first, so Rampart verifies
 * every request itself, in both directions of the clock, and hands bolt only what passed.
 */

/** Slack's window: a request more than five minutes from now, either way, is refused. */
export const SLACK_CLOCK_SKEW_SECONDS = 300;
/** Interactivity payloads carry a view's whole state; 1 MiB is far above any real one. */
export const SLACK_MAX_BODY_BYTES = 1024 * 1024;

/** A request that is not provably from Slack right now; `status` is what to answer. */
export class SlackRequestError extends Error {
  override readonly name = 'SlackRequestError';
  constructor(
    message: string,
    readonly status: 400 | 401 | 413,
    /** A signed request: someone with Slack's signature sent it, so it is audited. */
    readonly signed = false,
  ) {
    super(message);
  }
}

export interface SignedRequest {
  body: Buffer;
  timestamp: string | undefined;
  signature: string | undefined;
}

/** Throws SlackRequestError unless the body is signed with the secret within the window. */
export function verifySlackSignature(
  signingSecret: string,
  request: SignedRequest,
  nowMs: number = Date.now(),
): void {
  if (request.body.length > SLACK_MAX_BODY_BYTES) {
    throw new SlackRequestError(
      `body of ${request.body.length} bytes is over the ${SLACK_MAX_BODY_BYTES}-byte limit`,
      413,
    );
  }
  const ts = request.timestamp ?? '';
  if (!/^\d{1,12}$/.test(ts)) {
    throw new SlackRequestError('header x-slack-request-timestamp is missing or not a number', 401);
  }
  const skew = Math.floor(nowMs / 1000) - Number(ts);
  if (Math.abs(skew) > SLACK_CLOCK_SKEW_SECONDS) {
    throw new SlackRequestError(
      `timestamp is ${Math.abs(skew)} s in the ${skew > 0 ? 'past' : 'future'}; allowed: within ${SLACK_CLOCK_SKEW_SECONDS} s`,
      401,
    );
  }
  const match = /^v0=([0-9a-f]{64})$/.exec(request.signature ?? '');
  if (!match) {
    throw new SlackRequestError('header x-slack-signature is missing or not v0=<hex sha256>', 401);
  }
  const expected = createHmac('sha256', signingSecret)
    .update(`v0:${ts}:`)
    .update(request.body)
    .digest();
  if (!timingSafeEqual(expected, Buffer.from(match[1]!, 'hex'))) {
    throw new SlackRequestError('signature does not match the body', 401);
  }
}

/**
 * The whole gate: signature and clock, then the payload shape bolt relies on (a signed
 * but malformed payload is refused with its reason instead of throwing inside bolt).
 */
export function checkSlackRequest(
  signingSecret: string,
  request: SignedRequest & { contentType: string | undefined },
  nowMs: number,
): void {
  verifySlackSignature(signingSecret, request, nowMs);
  const problem = slackPayloadProblem(request.body, request.contentType);
  if (problem) throw new SlackRequestError(problem, 400, true);
}

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers | undefined, name: string): string | undefined {
  const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers![key];
  return typeof value === 'string' ? value : undefined;
}

export type RefusalLogger = (reason: string, status: number, signed: boolean) => void;

/** The Lambda event shapes bolt's AwsLambdaReceiver accepts (Function URL, API Gateway). */
export interface SlackLambdaEvent {
  body?: string | null;
  isBase64Encoded?: boolean;
  headers?: Headers;
}

/**
 * Wraps the Lambda handler: verifies the raw body before bolt parses it and answers 401
 * (413, or 400 for a signed malformed payload) itself, so an unsigned body is never
 * parsed as JSON at all.
 */
export function verifiedLambdaHandler<E extends SlackLambdaEvent, C, R>(
  signingSecret: string,
  inner: (event: E, context: C) => Promise<R>,
  onRefused: RefusalLogger,
  now: () => number = () => Date.now(),
): (event: E, context: C) => Promise<R | { statusCode: number; body: string }> {
  return async (event, context) => {
    const raw = event.body ?? '';
    // A base64 body of more than 4/3 of the limit cannot decode to less than it.
    if (raw.length > Math.ceil((SLACK_MAX_BODY_BYTES * 4) / 3) + 4) {
      onRefused(`body of ${raw.length} characters is over the limit`, 413, false);
      return { statusCode: 413, body: '' };
    }
    const body = Buffer.from(raw, event.isBase64Encoded ? 'base64' : 'utf8');
    try {
      checkSlackRequest(
        signingSecret,
        {
          body,
          timestamp: header(event.headers, 'x-slack-request-timestamp'),
          signature: header(event.headers, 'x-slack-signature'),
          contentType: header(event.headers, 'content-type'),
        },
        now(),
      );
    } catch (error) {
      if (!(error instanceof SlackRequestError)) throw error;
      onRefused(error.message, error.status, error.signed);
      return { statusCode: error.status, body: error.signed ? error.message : '' };
    }
    return inner(event, context);
  };
}

/**
 * Wraps a Node request listener (bolt's HTTPReceiver): reads the body up to the limit,
 * verifies it, then hands the listener the request with the body already buffered (bolt
 * reuses `rawBody` when it is set) or answers the refusal itself.
 */
export function verifiedRequestListener(
  signingSecret: string,
  inner: RequestListener,
  onRefused: RefusalLogger,
  now: () => number = () => Date.now(),
): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    const refuse = (status: number, reason: string, signed = false) => {
      if (refused) return;
      refused = true;
      onRefused(reason, status, signed);
      // Only a signed request hears why; anyone else learns nothing from the answer.
      res.writeHead(status, { connection: 'close' }).end(signed ? reason : '');
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > SLACK_MAX_BODY_BYTES) {
        // Answered at once; the rest is read and dropped, never held.
        refuse(413, `body over the ${SLACK_MAX_BODY_BYTES}-byte limit`);
        chunks.length = 0;
      } else if (!refused) chunks.push(chunk);
    });
    req.on('error', () => refuse(400, 'the request body could not be read'));
    req.on('end', () => {
      if (refused) return;
      const body = Buffer.concat(chunks);
      try {
        checkSlackRequest(
          signingSecret,
          {
            body,
            timestamp: header(req.headers, 'x-slack-request-timestamp'),
            signature: header(req.headers, 'x-slack-signature'),
            contentType: header(req.headers, 'content-type'),
          },
          now(),
        );
      } catch (error) {
        if (!(error instanceof SlackRequestError)) throw error;
        return refuse(error.status, error.message, error.signed);
      }
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
      try {
        inner(req, res);
      } catch {
        // bolt's own listener answers its errors; this only guards the server process.
        if (!res.headersSent) res.writeHead(500).end();
      }
    });
  };
}
