import { inject } from 'vitest';
import { MOTO_DUMMY_ENV } from '../../src/local/moto';

// Every SDK client in the tests reaches moto through the standard variable, nothing else.
Object.assign(process.env, MOTO_DUMMY_ENV, {
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_ENDPOINT_URL: inject('motoEndpoint'),
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT',
});
