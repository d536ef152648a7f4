/** A bad command line or SINKHOLE_* value: the program prints the message and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit statuses, documented in the README. */
export const EXIT_OK = 0;
/** The server failed at run time (for example the port is in use) or the check failed. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** The environment guard refused to start (SINKHOLE_ENVIRONMENT is prod). */
export const EXIT_REFUSED = 3;
