import type { SweepProgress } from '../sweep/sweep';

/** Short names for the progress line (the CloudFormation type's last part). */
const shortName = (type: string) => type.split('::').slice(1).join('::') || type;

/**
 * A one-line progress bar on a TTY stream: resources scanned of those listed so far, in
 * total and per type, redrawn at most every `intervalMs`. Only built when the stream is a TTY.
 */
export class TtyProgress implements SweepProgress {
  private readonly types = new Map<string, { listed: number; scanned: number }>();
  private lastDraw = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly intervalMs = 100,
  ) {}

  discovered(resourceType: string, count: number): void {
    this.of(resourceType).listed += count;
    this.draw();
  }

  scanned(resourceType: string, count: number): void {
    const t = this.of(resourceType);
    t.scanned += count;
    t.listed = Math.max(t.listed, t.scanned); // types listed without a count up front
    this.draw();
  }

  /** Clears the line (before the report is printed). */
  done(): void {
    this.stream.write('\r\x1b[2K');
  }

  private of(type: string) {
    let t = this.types.get(type);
    if (!t) this.types.set(type, (t = { listed: 0, scanned: 0 }));
    return t;
  }

  private draw(): void {
    const now = Date.now();
    if (now - this.lastDraw < this.intervalMs) return;
    this.lastDraw = now;
    let listed = 0;
    let scanned = 0;
    const parts: string[] = [];
    for (const [type, t] of this.types) {
      listed += t.listed;
      scanned += t.scanned;
      parts.push(`${shortName(type)} ${t.scanned}/${t.listed}`);
    }
    const width = 20;
    const filled = listed === 0 ? 0 : Math.round((scanned / listed) * width);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
    const line = `${bar} ${scanned}/${listed} resources  ${parts.join('  ')}`;
    const columns = this.stream.columns || 120; // 0 on a pty without a size
    this.stream.write(`\r\x1b[2K${line.slice(0, Math.max(10, columns - 1))}`);
  }
}
