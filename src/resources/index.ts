import type { AnyResourceType } from '../engine/definitions';
import { securityGroupType } from './ec2-security-group';

/** Every resource type Rampart can read. A new type is a new folder plus one line here. */
export const resourceTypes: readonly AnyResourceType[] = [securityGroupType];
