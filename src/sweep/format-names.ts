// Apart from the formatters, so the CLI's help can list them without loading them.
export const SCAN_FORMATS = ['table', 'json', 'sarif', 'ocsf'] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];
