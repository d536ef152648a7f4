// What bundle-setup.ts provides to the test files (vitest's provide/inject).
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    /** The sinkhole bundle built from the current sources for this run. */
    sinkholeTestBundle: string;
  }
}
