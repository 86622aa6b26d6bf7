import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsClients } from '../../src/aws/clients';
import { ensureExceptionsTable } from '../../src/exceptions/table';
import { handler } from '../../src/handlers/slack';
import { SlackCredentialsError, loadSlackCredentials } from '../../src/slack/credentials';
import { SlackApiStandIn } from '../support/slack-api';
import { slackSignature } from '../support/slack-sign';

const REGION = 'us-west-1';
const SECRET = 'lambda-signing-secret-abcdef0123456789';

/** A Lambda Function URL (payload v2) request as Slack's POST arrives. */
function functionUrlEvent(body: string, contentType: string, headers: Record<string, string>) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/slack/events',
    rawQueryString: '',
    headers: { 'content-type': contentType, ...headers },
    requestContext: { http: { method: 'POST', path: '/slack/events', sourceIp: '198.51.100.1' } },
    body,
    isBase64Encoded: false,
  };
}

const signed = (body: string, ts = Math.floor(Date.now() / 1000)) => ({
  'x-slack-request-timestamp': String(ts),
  'x-slack-signature': slackSignature(SECRET, ts, body),
});

describe('Slack Lambda handler (AwsLambdaReceiver, credentials from Secrets Manager)', () => {
  let api: SlackApiStandIn;
  let secretArn: string;
  const clients = new AwsClients({ maxAttempts: 1 });
  const sm = () => clients.get(SecretsManagerClient, { region: REGION });

  beforeAll(async () => {
    api = await new SlackApiStandIn().start();
    const table = { name: `rampart-lambda-${randomUUID().slice(0, 8)}`, region: REGION };
    await ensureExceptionsTable(clients, table);
    const secret = await sm().send(
      new CreateSecretCommand({
        Name: `rampart/slack-${randomUUID().slice(0, 8)}`,
        SecretString: JSON.stringify({
          signingSecret: SECRET,
          botToken: 'xoxb-from-secrets-manager',
        }),
      }),
    );
    secretArn = secret.ARN!;
    Object.assign(process.env, {
      AWS_REGION: REGION,
      RAMPART_SLACK_SECRET_ARN: secretArn,
      RAMPART_EXCEPTIONS_TABLE: table.name,
      RAMPART_SLACK_API_URL: api.url,
      RAMPART_CONFIG_JSON: JSON.stringify({
        slack: { channel: 'C0LAMBDA', approvers: { users: ['UAPPROVER'] } },
      }),
    });
  });
  afterAll(async () => {
    clients.destroy();
    await api.stop();
  });

  it('answers a signed url_verification and a signed /rampart help; refuses unsigned and stale ones', async () => {
    const challenge = JSON.stringify({
      type: 'url_verification',
      challenge: 'lambda-c',
      token: 't',
    });
    const ok = await handler(
      functionUrlEvent(challenge, 'application/json', signed(challenge)) as never,
      {} as never,
    );
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ challenge: 'lambda-c' });

    const help = new URLSearchParams({
      command: '/rampart',
      text: 'help',
      user_id: 'U0HELPER',
      channel_id: 'C0LAMBDA',
      team_id: 'T0RAMPART',
      trigger_id: 't',
      response_url: 'http://127.0.0.1:9/x',
    }).toString();
    const helped = await handler(
      functionUrlEvent(help, 'application/x-www-form-urlencoded', signed(help)) as never,
      {} as never,
    );
    expect(helped.statusCode).toBe(200);
    expect(JSON.parse(helped.body).text).toContain('/rampart exceptions');
    // The bot token from the secret is what the Web API sees.
    expect(api.calls.length).toBeGreaterThan(0);
    expect(api.calls.every((c) => c.body.token === 'xoxb-from-secrets-manager')).toBe(true);

    const unsigned = await handler(
      functionUrlEvent(challenge, 'application/json', {}) as never,
      {} as never,
    );
    expect(unsigned.statusCode).toBe(401);
    const stale = await handler(
      functionUrlEvent(
        challenge,
        'application/json',
        signed(challenge, Math.floor(Date.now() / 1000) - 400),
      ) as never,
      {} as never,
    );
    expect(stale.statusCode).toBe(401);
    const early = await handler(
      functionUrlEvent(
        challenge,
        'application/json',
        signed(challenge, Math.floor(Date.now() / 1000) + 3600),
      ) as never,
      {} as never,
    );
    expect(early.statusCode).toBe(401);
    // An unsigned body is never parsed: broken JSON is a plain 401, not a parse error.
    const garbage = await handler(
      functionUrlEvent('{"type": "url_verification", ', 'application/json', {}) as never,
      {} as never,
    );
    expect(garbage.statusCode).toBe(401);
    // A signed base64 body (Function URLs encode form bodies) is verified on its bytes.
    const encoded = {
      ...functionUrlEvent(help, 'application/x-www-form-urlencoded', signed(help)),
      body: Buffer.from(help).toString('base64'),
      isBase64Encoded: true,
    };
    expect((await handler(encoded as never, {} as never)).statusCode).toBe(200);
  });

  it('names what is missing when credentials are not configured', async () => {
    await expect(loadSlackCredentials(clients, {})).rejects.toThrow(
      /set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN/,
    );
    await expect(loadSlackCredentials(clients, { SLACK_SIGNING_SECRET: 's' })).rejects.toThrow(
      /set SLACK_BOT_TOKEN \(or RAMPART_SLACK_SECRET_ARN/,
    );
    expect(
      await loadSlackCredentials(clients, { SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1' }),
    ).toEqual({ signingSecret: 's', botToken: 'xoxb-1' });
    const partial = await sm().send(
      new CreateSecretCommand({
        Name: `rampart/partial-${randomUUID().slice(0, 8)}`,
        SecretString: JSON.stringify({ botToken: 'xoxb-2' }),
      }),
    );
    await expect(
      loadSlackCredentials(clients, { RAMPART_SLACK_SECRET_ARN: partial.ARN! }),
    ).rejects.toThrow(SlackCredentialsError);
    await expect(
      loadSlackCredentials(clients, { RAMPART_SLACK_SECRET_ARN: partial.ARN! }),
    ).rejects.toThrow(/lacks signingSecret/);
  });
});
