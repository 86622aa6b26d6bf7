import { App } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../src/local/moto';
import { localReceiver } from '../../src/slack/app-wiring';
import { SLACK_MAX_BODY_BYTES } from '../../src/slack/request-verification';
import { SlackApiStandIn } from '../support/slack-api';
import { SIGNING_SECRET, startSlackHarness, type SlackHarness } from '../support/slack-harness';
import { postSigned, slackSignature } from '../support/slack-sign';

// Slack's worked example from "Verifying requests from Slack" (api.slack.com/authentication/verifying-requests-from-slack).
const EXAMPLE_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const EXAMPLE_TIMESTAMP = 1531420618;
const EXAMPLE_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const EXAMPLE_SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const FORM = 'application/x-www-form-urlencoded';

describe("Slack's published example", () => {
  let api: SlackApiStandIn;
  let app: App;
  let url: string;
  const received: string[] = [];
  const refusals: string[] = [];

  beforeAll(async () => {
    api = await new SlackApiStandIn().start();
    const receiver = localReceiver(EXAMPLE_SECRET, (reason) => refusals.push(reason));
    app = new App({ token: 'xoxb-example', receiver, clientOptions: { slackApiUrl: api.url } });
    app.command('/webhook-collect', async ({ ack, command }) => {
      received.push(command.user_name);
      await ack('collected');
    });
    const port = await freePort();
    await receiver.start({ port, host: '127.0.0.1' });
    url = `http://127.0.0.1:${port}/slack/events`;
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(async () => {
    await app.stop();
    await api.stop();
  });

  it('our signer reproduces the published signature', () => {
    expect(slackSignature(EXAMPLE_SECRET, EXAMPLE_TIMESTAMP, EXAMPLE_BODY)).toBe(EXAMPLE_SIGNATURE);
  });

  it('bolt accepts the published request byte for byte at its time, and refuses it later', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: (EXAMPLE_TIMESTAMP + 2) * 1000 });
    const accepted = await postSigned(url, EXAMPLE_BODY, FORM, {
      secret: EXAMPLE_SECRET,
      timestampSeconds: EXAMPLE_TIMESTAMP,
      signature: EXAMPLE_SIGNATURE,
    });
    expect(accepted).toEqual({ status: 200, text: 'collected' });
    expect(received).toEqual(['roadrunner']);
    vi.useRealTimers();

    // Today the same bytes are a replay: refused before any listener runs.
    const replayed = await postSigned(url, EXAMPLE_BODY, FORM, {
      secret: EXAMPLE_SECRET,
      timestampSeconds: EXAMPLE_TIMESTAMP,
      signature: EXAMPLE_SIGNATURE,
    });
    expect(replayed.status).toBe(401);
    expect(received).toEqual(['roadrunner']);
    expect(refusals.at(-1)).toMatch(/^timestamp is \d+ s in the past; allowed: within 300 s$/);
  });

  it('refuses the same bytes when the clock is behind: a timestamp in the future is no fresher', async () => {
    for (const aheadSeconds of [301, 3600, 86_400]) {
      vi.useFakeTimers({ toFake: ['Date'], now: (EXAMPLE_TIMESTAMP - aheadSeconds) * 1000 });
      const early = await postSigned(url, EXAMPLE_BODY, FORM, {
        secret: EXAMPLE_SECRET,
        timestampSeconds: EXAMPLE_TIMESTAMP,
        signature: EXAMPLE_SIGNATURE,
      });
      expect(early.status).toBe(401);
      expect(refusals.at(-1)).toBe(
        `timestamp is ${aheadSeconds} s in the future; allowed: within 300 s`,
      );
    }
    // 299 s ahead is inside the window, as Slack specifies.
    vi.useFakeTimers({ toFake: ['Date'], now: (EXAMPLE_TIMESTAMP - 299) * 1000 });
    const inside = await postSigned(url, EXAMPLE_BODY, FORM, {
      secret: EXAMPLE_SECRET,
      timestampSeconds: EXAMPLE_TIMESTAMP,
      signature: EXAMPLE_SIGNATURE,
    });
    expect(inside.status).toBe(200);
    expect(received).toEqual(['roadrunner', 'roadrunner']);
  });
});

describe("Rampart's Slack endpoint verifies every request", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness('ap-south-1');
  });
  afterAll(async () => {
    await h.stop();
  });

  const challenge = JSON.stringify({ token: 'x', challenge: 'c-123', type: 'url_verification' });
  const help = new URLSearchParams({
    command: '/rampart',
    text: 'help',
    user_id: 'U0HELPER',
    channel_id: 'C1',
    team_id: 'T0RAMPART',
    trigger_id: 't',
    response_url: 'http://127.0.0.1:9/x',
  }).toString();

  it('answers the url_verification challenge when signed', async () => {
    const res = await postSigned(h.url, challenge, 'application/json', { secret: SIGNING_SECRET });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ challenge: 'c-123' });
  });

  it('serves a signed slash command', async () => {
    const res = await postSigned(h.url, help, FORM, { secret: SIGNING_SECRET });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).text).toContain('/rampart revoke &lt;exception-id&gt;');
  });

  it.each([
    ['forged (signed with another secret)', { secret: 'not-the-secret' }],
    [
      'forged (signature of another body)',
      {
        secret: SIGNING_SECRET,
        signature: slackSignature(SIGNING_SECRET, Math.floor(Date.now() / 1000), 'text=other'),
      },
    ],
    ['unsigned', { secret: SIGNING_SECRET, signature: null }],
    [
      'replayed (signed 6 minutes ago)',
      { secret: SIGNING_SECRET, timestampSeconds: Math.floor(Date.now() / 1000) - 360 },
    ],
    [
      'signed for one hour from now',
      { secret: SIGNING_SECRET, timestampSeconds: Math.floor(Date.now() / 1000) + 3600 },
    ],
    [
      'signed for a day from now',
      { secret: SIGNING_SECRET, timestampSeconds: Math.floor(Date.now() / 1000) + 86_400 },
    ],
    ['of an unknown signature version', { secret: SIGNING_SECRET, signature: 'v1=deadbeef' }],
  ] as const)('refuses a request %s with 401 and runs nothing', async (_label, options) => {
    const before = h.api.calls.length;
    for (const [body, type] of [
      [challenge, 'application/json'],
      [help, FORM],
    ] as const) {
      const res = await postSigned(h.url, body, type, options);
      expect(res.status).toBe(401);
      expect(res.text).not.toContain('c-123');
      expect(res.text).not.toContain('/rampart revoke');
    }
    expect(h.api.calls.length).toBe(before);
  });

  it('refuses an oversized body with 413 before reading it all, and runs nothing', async () => {
    const before = h.api.calls.length;
    const body = `text=${'a'.repeat(SLACK_MAX_BODY_BYTES + 10)}`;
    const res = await postSigned(h.url, body, FORM, { secret: SIGNING_SECRET });
    expect(res.status).toBe(413);
    expect(h.api.calls.length).toBe(before);
  });
});
