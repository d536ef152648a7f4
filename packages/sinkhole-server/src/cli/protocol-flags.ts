import { flag, type FlagSpec } from './flag-spec.js';
import { parseExtensionList } from './extension-list.js';

/** Flags that choose the protocol surface: what EHLO advertises and which extensions run. */
export const PROTOCOL_FLAGS = {
  extensions: flag({
    name: 'extensions', env: 'SINKHOLE_EXTENSIONS', value: 'LIST', group: 'protocol', defaultText: 'default',
    parse: parseExtensionList,
    help: 'What EHLO advertises: none (plain RFC 5321), default (pipelining, size, 8bitmime, enhancedstatuscodes, smtputf8, dsn), or a comma-separated list of those names, each optionally -name to remove it (default,-8bitmime). A hidden extension\'s parameters get 555.',
  }),
} satisfies Record<string, FlagSpec<unknown>>;
