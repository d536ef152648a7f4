// What global-setup.ts provides to the test files (vitest's provide/inject).
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    /** '' when the tier runs; otherwise why it is skipped (never on CI: there it fails instead). */
    e2eSkipReason: string;
  }
}
