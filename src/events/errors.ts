/** The event cannot be understood: names the field that is missing or wrong. */
export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
  constructor(
    /** Dotted path of the offending field, e.g. `detail.requestParameters.groupId`. */
    readonly field: string,
    readonly problem: string,
    readonly eventId?: string,
  ) {
    super(`malformed event${eventId ? ` ${eventId}` : ''}: ${field} ${problem}`);
  }
}
