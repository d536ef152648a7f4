/** Environment names the sinkhole refuses to run in (the plan: never in prod). */
const FORBIDDEN = new Set(['prod', 'production']);

/** The refusal message, or undefined when the environment is allowed. */
export function environmentRefusal(environment: string | undefined): string | undefined {
  if (environment === undefined || !FORBIDDEN.has(environment.trim().toLowerCase())) return undefined;
  return (
    `refusing to start: SINKHOLE_ENVIRONMENT (or --environment) is ${JSON.stringify(environment)}. ` +
    'The sinkhole answers every RCPT TO with a fake reply and must never run in production; ' +
    'it is meant for dev and stage only.'
  );
}
