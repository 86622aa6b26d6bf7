/** Exit codes shared by every command: 0 success, 1 a problem found or not fixed, 2 bad input. */
export const EXIT = { ok: 0, problem: 1, usage: 2 } as const;

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/**
 * Errors that mean the input was wrong (exit 2, message only). Matched by name, not by
 * class, so `main` need not import the modules that define them: `--help` and a typo'd
 * option stay as quick as node's own start.
 */
export const USAGE_ERROR_NAMES: ReadonlySet<string> = new Set([
  'CliUsageError',
  'MalformedEventError',
  'ConfigError',
  'TemplateError',
  'ReplayInputError',
  'DigestError',
  'SlackCredentialsError',
  'SlackWiringError',
]);

export function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new CliUsageError(
      `${name} ${JSON.stringify(value)} is not allowed; allowed: ${allowed.join(', ')}`,
    );
  }
  return value as T;
}
