/**
 * `npm run bench`: every benchmark, one after another, each printing its own table.
 * `npm run bench -- <name>` runs one (names: see BENCHES).
 */
const BENCHES: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  'evaluator-latency': () => import('./evaluator-latency'),
  reliability: () => import('./reliability'),
  sweep: () => import('./sweep'),
  accounts: () => import('./accounts'),
  fairness: () => import('./fairness'),
  bundle: () => import('./bundle'),
  check: () => import('./check'),
  cli: () => import('./cli'),
};

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !BENCHES[w]);
  if (unknown.length) {
    throw new Error(
      `unknown bench ${unknown.join(', ')}; allowed: ${Object.keys(BENCHES).join(', ')}`,
    );
  }
  for (const name of wanted.length ? wanted : Object.keys(BENCHES)) {
    const bench = await BENCHES[name]!();
    await bench.run();
  }
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
