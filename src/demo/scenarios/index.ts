import type { DemoScenario } from '../scenario';
import { securityGroupScenario } from './security-group';

/** One scenario per policy; the demo runs them in this order. */
export const demoScenarios: readonly DemoScenario[] = [securityGroupScenario];
