import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AwsClients } from '../aws/clients';

export class SlackCredentialsError extends Error {
  override readonly name = 'SlackCredentialsError';
  constructor(
    message: string,
    /** The variable or secret the problem is about. */
    readonly source: string,
  ) {
    super(message);
  }
}

export interface SlackCredentials {
  signingSecret: string;
  botToken: string;
}

/** Environment variable naming the Secrets Manager secret (in AWS). */
export const SLACK_SECRET_ENV = 'RAMPART_SLACK_SECRET_ARN';

/**
 * In AWS: the secret named by RAMPART_SLACK_SECRET_ARN, a JSON object
 * `{"signingSecret": "...", "botToken": "xoxb-..."}`. Locally: bolt's usual
 * SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN.
 */
export async function loadSlackCredentials(
  clients: AwsClients,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SlackCredentials> {
  const secretArn = env[SLACK_SECRET_ENV];
  if (secretArn) {
    const region = secretArn.split(':')[3] || env.AWS_REGION || 'us-east-1';
    const out = await clients
      .get(SecretsManagerClient, { region })
      .send(new GetSecretValueCommand({ SecretId: secretArn }));
    let parsed: Partial<SlackCredentials>;
    try {
      parsed = JSON.parse(out.SecretString ?? '') as Partial<SlackCredentials>;
    } catch {
      throw new SlackCredentialsError(
        `secret ${secretArn} is not JSON; expected {"signingSecret": "...", "botToken": "xoxb-..."}`,
        secretArn,
      );
    }
    const missing = (['signingSecret', 'botToken'] as const).filter((k) => !parsed[k]);
    if (missing.length > 0) {
      throw new SlackCredentialsError(
        `secret ${secretArn} lacks ${missing.join(' and ')}`,
        secretArn,
      );
    }
    return { signingSecret: parsed.signingSecret!, botToken: parsed.botToken! };
  }
  const missing = ['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN'].filter((k) => !env[k]);
  if (missing.length > 0) {
    throw new SlackCredentialsError(
      `Slack credentials missing: set ${missing.join(' and ')} (or ${SLACK_SECRET_ENV} in AWS)`,
      missing.join(','),
    );
  }
  return { signingSecret: env.SLACK_SIGNING_SECRET!, botToken: env.SLACK_BOT_TOKEN! };
}
