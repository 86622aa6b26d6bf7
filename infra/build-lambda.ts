import { pathToFileURL } from 'node:url';
import { buildLambda } from './bundling';

/**
 * `node --import tsx infra/build-lambda.ts <entry> <outdir>`: bundles one Lambda handler the
 * way it is deployed. The CDK stacks run this for their code assets (infra/bundling.ts).
 */
async function main(args: readonly string[]): Promise<void> {
  const [entry, outdir, ...rest] = args;
  if (!entry || !outdir || rest.length > 0) {
    throw new Error('usage: build-lambda.ts <entry file> <output directory>');
  }
  await buildLambda(entry, outdir);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
