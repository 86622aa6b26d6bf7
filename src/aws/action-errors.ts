/** Error names AWS answers with when the caller may not make a call (or has no valid credentials). */
export const ACCESS_ERROR_NAMES = [
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'AuthorizationErrorException',
  'AuthFailure',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'ExpiredToken',
  'ExpiredTokenException',
  'CredentialsProviderError',
] as const;

/** The IAM action a failed SDK call was (every client AwsClients builds names it). */
export function iamActionOf(error: unknown): string | undefined {
  const action = (error as { iamAction?: unknown } | null)?.iamAction;
  return typeof action === 'string' ? action : undefined;
}

export function isAccessError(error: unknown): boolean {
  const e = error as { name?: string; Code?: string; code?: string } | null;
  const names: readonly string[] = ACCESS_ERROR_NAMES;
  return !!e && [e.name, e.Code, e.code].some((n) => n !== undefined && names.includes(n));
}
