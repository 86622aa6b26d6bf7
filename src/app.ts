import { AuditLog, createLogger } from './audit';
import { AwsClients, type AwsClientsOptions } from './aws/clients';
import { defaultCatalog } from './catalog';
import { loadConfig, type RampartConfig } from './config';
import { Evaluator, type Reporter } from './engine/evaluator';
import { humanLoopFromEnv, type HumanLoop } from './slack/wiring';
import { revertBreakerFor } from './reliability/wiring';
import { HistoryReporter } from './history/reporter';
import { historyStoreFor } from './history/wiring';
import { SecurityHubReporter } from './reporters/security-hub';
import { standingsFor } from './organization/wiring';

export interface RampartOptions {
  /** Configuration file; otherwise RAMPART_CONFIG_JSON, RAMPART_CONFIG or rampart.config.yaml. */
  configPath?: string;
  config?: RampartConfig;
  /** Where audit lines go; stdout (the Lambda default) unless given. */
  logStream?: NodeJS.WritableStream;
  clients?: AwsClients;
  clientOptions?: AwsClientsOptions;
  audit?: AuditLog;
  reporters?: Reporter[];
  /** Exceptions, approval deadlines, Slack and SNS notices; from the environment unless given. */
  humanLoop?: HumanLoop;
  /** Clock of the evaluator and the revert-war breaker (simulated time in scenarios). */
  now?: () => number;
}

/** Wires the shipped catalog, configuration, SDK clients and audit log into an evaluator. */
export function createRampart(options: RampartOptions = {}) {
  const catalog = defaultCatalog();
  const config = options.config ?? loadConfig(catalog, options.configPath);
  const clients = options.clients ?? new AwsClients(options.clientOptions);
  const audit = options.audit ?? new AuditLog(createLogger({ stream: options.logStream }));
  const humanLoop = options.humanLoop ?? humanLoopFromEnv({ catalog, config, clients });
  // With a history table, every outcome worth a digest line is kept, whoever else reports it.
  const history = historyStoreFor(config, clients);
  const reporters = [
    ...(options.reporters ?? humanLoop.reporters),
    ...(history ? [new HistoryReporter(history)] : []),
    ...(config.securityHub.enabled
      ? [
          new SecurityHubReporter(clients, {
            catalog,
            ...(config.securityHub.region ? { region: config.securityHub.region } : {}),
          }),
        ]
      : []),
  ];
  const standings = standingsFor(config, clients, history, options.now);
  const evaluator = new Evaluator({
    catalog,
    config,
    clients,
    audit,
    reporters,
    exceptions: humanLoop.exceptions,
    approvals: humanLoop.approvals,
    remediationGuard: revertBreakerFor(config, clients, options.now),
    ...(standings ? { standings } : {}),
    now: options.now,
  });
  return { catalog, config, clients, audit, evaluator, humanLoop, history, standings };
}
export type Rampart = ReturnType<typeof createRampart>;
