import type { AnyPolicy } from '../src/engine/definitions';
import { sgNoPublicIngress } from './sg-no-public-ingress';

/** The policy pack: one file per policy, one line here. */
export const policies: readonly AnyPolicy[] = [sgNoPublicIngress];
