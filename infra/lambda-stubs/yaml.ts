/**
 * Stands in for the `yaml` package inside the Lambda bundles (esbuild alias, see
 * infra/bundling.ts). Deployed functions receive their configuration as JSON in
 * RAMPART_CONFIG_JSON, so YAML parsing is dead weight there (~110 KB minified); reaching it
 * means the function was given a YAML file instead, which this says plainly.
 */
export class YamlUnavailableError extends Error {
  override readonly name = 'YamlUnavailableError';
  constructor() {
    super(
      'YAML configuration files are not read inside the Lambda bundle: the stack passes the configuration as RAMPART_CONFIG_JSON',
    );
  }
}

function unavailable(): never {
  throw new YamlUnavailableError();
}

export const parse = unavailable;
export const parseDocument = unavailable;
export const stringify = unavailable;
export const visit = unavailable;
/** Constructed before parsing (line positions for error messages), so it must be a class. */
export class LineCounter {
  constructor() {
    unavailable();
  }
}
export default { parse, parseDocument, stringify, visit, LineCounter };
