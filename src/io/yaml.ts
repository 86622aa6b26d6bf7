import YAML, { type Document, type LineCounter } from 'yaml';

/** Aliases a document may expand, all told: an alias bomb stops here (YAML's own default). */
export const MAX_YAML_ALIASES = 100;

/** A YAML document that parses but cannot become a value (an alias bomb, a dangling alias). */
export class YamlValueError extends Error {
  override readonly name = 'YamlValueError';
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

/**
 * The document as plain values, with alias expansion bounded; a failure says where the
 * first alias is, since that is where an expansion goes wrong.
 */
export function yamlValue(doc: Document, lineCounter: LineCounter): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    let offset: number | undefined;
    YAML.visit(doc, {
      Alias(_, node) {
        offset = node.range?.[0];
        return YAML.visit.BREAK;
      },
    });
    const pos = offset === undefined ? undefined : lineCounter.linePos(offset);
    const message = (error as Error).message.replace(
      /^Excessive alias count/,
      `more than ${MAX_YAML_ALIASES} alias expansions (an alias bomb?)`,
    );
    throw new YamlValueError(message.split('\n')[0]!, pos?.line, pos?.col);
  }
}
