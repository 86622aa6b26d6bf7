// Apart from the formatters, so the CLI's help can list them without loading them.
export const CHECK_FORMATS = ['text', 'json', 'sarif', 'ocsf'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];
