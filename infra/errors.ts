/** A deployment setting the CDK app cannot honour safely; names the setting. */
export class InfraError extends Error {
  override readonly name = 'InfraError';
  constructor(
    message: string,
    readonly setting?: string,
  ) {
    super(message);
  }
}
