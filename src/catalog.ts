import { policies } from '../policies';
import { remediators } from '../remediators';
import { Catalog } from './engine/catalog';
import { resourceTypes } from './resources';

let built: Catalog | undefined;

/** The catalog of everything shipped: resource types, the policy pack, the remediators. */
export function defaultCatalog(): Catalog {
  built ??= new Catalog({ resourceTypes, policies, remediators });
  return built;
}
