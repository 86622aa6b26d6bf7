/**
 * Lambda runtimes and the day AWS deprecates each (deprecation phase 1: no more security
 * patches or support), as the Lambda Developer Guide's "Lambda runtimes" page lists them,
 * recorded on 2026-12-02. Refreshed in this one file when AWS publishes new dates; a runtime
 * not listed here (a newer one) is treated as supported.
 *
 * `arm64: false`: the runtime never ran on Graviton, so lambda-arm64 does not apply to it.
 */
export interface LambdaRuntime {
  deprecation?: string;
  arm64?: false;
}

export const LAMBDA_RUNTIMES: Readonly<Record<string, LambdaRuntime>> = {
  'nodejs4.3': { deprecation: '2020-03-05', arm64: false },
  'nodejs6.10': { deprecation: '2019-08-12', arm64: false },
  'nodejs8.10': { deprecation: '2020-03-06', arm64: false },
  'nodejs10.x': { deprecation: '2021-07-30', arm64: false },
  'nodejs12.x': { deprecation: '2023-03-31' },
  'nodejs14.x': { deprecation: '2023-12-04' },
  'nodejs16.x': { deprecation: '2024-06-12' },
  'nodejs18.x': { deprecation: '2025-09-01' },
  'nodejs20.x': { deprecation: '2026-04-30' },
  'nodejs22.x': { deprecation: '2027-04-30' },
  'nodejs24.x': { deprecation: '2028-04-30' },
  'python2.7': { deprecation: '2021-07-15', arm64: false },
  'python3.6': { deprecation: '2022-07-18', arm64: false },
  'python3.7': { deprecation: '2023-12-04', arm64: false },
  'python3.8': { deprecation: '2024-10-14' },
  'python3.9': { deprecation: '2025-12-15' },
  'python3.10': { deprecation: '2026-06-30' },
  'python3.11': { deprecation: '2026-06-30' },
  'python3.12': { deprecation: '2028-10-31' },
  'python3.13': { deprecation: '2029-06-30' },
  java8: { deprecation: '2024-01-08', arm64: false },
  'java8.al2': { deprecation: '2026-06-30' },
  java11: { deprecation: '2026-06-30' },
  java17: { deprecation: '2026-06-30' },
  java21: { deprecation: '2029-06-30' },
  'dotnetcore3.1': { deprecation: '2023-04-03' },
  dotnet6: { deprecation: '2024-12-20' },
  dotnet8: { deprecation: '2026-11-10' },
  'ruby2.7': { deprecation: '2023-12-07' },
  'ruby3.2': { deprecation: '2026-03-31' },
  'ruby3.3': { deprecation: '2026-03-31' },
  'ruby3.4': { deprecation: '2028-03-31' },
  'go1.x': { deprecation: '2024-01-08', arm64: false },
  provided: { deprecation: '2024-01-08', arm64: false },
  'provided.al2': { deprecation: '2026-06-30' },
  'provided.al2023': {},
};
