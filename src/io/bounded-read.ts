import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Every file a command reads has a stated size bound (docs/security.md, "Input bounds"):
 * reading stops one byte past it, so `/dev/zero`, a named pipe that never ends or a huge file
 * is refused at once with the limit named, instead of filling memory.
 */
export const INPUT_LIMITS = {
  /** `rampart handle`: one event (EventBridge caps an event at 256 KiB). */
  event: 1024 * 1024,
  /** `rampart simulate`: one file as stored (a CloudTrail log file, gzipped or not). */
  replayFile: 64 * 1024 * 1024,
  /** `rampart simulate`: one gzipped file once decompressed. */
  replayDecompressed: 256 * 1024 * 1024,
  /** `rampart check`: one template (CloudFormation itself accepts at most 1 MB from S3). */
  template: 32 * 1024 * 1024,
  /** rampart.config.yaml. */
  config: 1024 * 1024,
} as const;

export class InputTooLargeError extends Error {
  override readonly name = 'InputTooLargeError';
  constructor(
    readonly path: string,
    readonly limit: number,
    what: string,
  ) {
    super(`${path}: ${what} is larger than ${limit.toLocaleString('en-US')} bytes, the limit`);
  }
}

/** Reads at most `limit` bytes of a file; more is an InputTooLargeError (nothing is returned). */
export function readBoundedFile(path: string, limit: number, what: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    if (fstatSync(fd).isDirectory()) {
      throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${path}'`), {
        code: 'EISDIR',
      });
    }
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.allocUnsafe(Math.min(limit + 1, 1024 * 1024));
    for (;;) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, limit + 1 - total), null);
      if (n === 0) break;
      chunks.push(Buffer.from(chunk.subarray(0, n)));
      total += n;
      if (total > limit) throw new InputTooLargeError(path, limit, what);
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}
