import type { AnyRemediator } from '../src/engine/definitions';
import { revokeIngress } from './revoke-ingress';

/** Every remediator: one file each, one line here. */
export const remediators: readonly AnyRemediator[] = [revokeIngress];
