import type { AuditLog } from '../audit';
import { errorMessage } from '../errors';
import type { ReportContext, Reporter } from './results';

/**
 * The report stage: every reporter hears every final result, side by side. A reporter's
 * failure is audited and never undoes or fails a remediation, so `report` never throws.
 */
export class ReportFanOut {
  constructor(
    private readonly reporters: readonly Reporter[],
    private readonly audit: AuditLog,
  ) {}

  async report(context: ReportContext): Promise<void> {
    if (this.reporters.length === 0) return;
    const results = await Promise.allSettled(this.reporters.map((r) => r.report(context)));
    results.forEach((r, i) => {
      if (r.status === 'rejected') {
        this.audit.reportFailed(
          context.trigger,
          context.resource,
          this.reporters[i]!.name,
          errorMessage(r.reason),
        );
      }
    });
  }

  /** Flushes every buffering reporter; the failures, by reporter (nothing is dropped silently). */
  async flush(): Promise<{ reporter: string; error: unknown }[]> {
    const buffering = this.reporters.filter((r) => r.flush);
    const results = await Promise.allSettled(buffering.map((r) => r.flush!()));
    return results.flatMap((r, i) =>
      r.status === 'rejected' ? [{ reporter: buffering[i]!.name, error: r.reason }] : [],
    );
  }
}
