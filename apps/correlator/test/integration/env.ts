/**
 * The one rule for integration tests against real services: the service's
 * address comes from an environment variable; when it is absent the suite is
 * skipped with a visible notice, except in CI (`CI=true`), where absence is a
 * failure — CI must never pass by skipping.
 */

export interface ServiceEnv {
  /** The variable's value, or undefined when the suite must be skipped. */
  value: string | undefined;
  /** True when the suite must be skipped (`describe.skipIf(env.skip)`). */
  skip: boolean;
}

/**
 * Reads a service address for an integration suite.
 *
 * @example
 * const kafka = serviceEnv('WEFT_TEST_KAFKA_BROKERS', 'bash scripts/services/kafka.sh start');
 * describe.skipIf(kafka.skip)('kafka', () => { ... });
 */
export function serviceEnv(
  variable: string,
  howToStart: string,
  environment: NodeJS.ProcessEnv = process.env,
): ServiceEnv {
  const value = environment[variable]?.trim();
  if (value) return { value, skip: false };
  const hint = `start the service with \`${howToStart}\` and set ${variable}`;
  if (environment.CI === 'true') {
    throw new Error(
      `${variable} is not set and CI=true: integration tests must run in CI; ${hint}.`,
    );
  }
  console.warn(`[weft] SKIPPING integration tests that need ${variable}: ${hint}.`);
  return { value: undefined, skip: true };
}
