// With --debug, stack traces point at the TypeScript: the compiled CLI ships source maps, and
// Node reads them only for modules loaded after this (every command's module is).
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);

const { main } = await import('./main');
process.exitCode = await main(process.argv.slice(2));
export {};
