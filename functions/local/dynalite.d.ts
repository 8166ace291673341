// dynalite ships no type declarations; this covers the part Herald uses.
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** LevelDB directory; in memory when omitted. */
    path?: string;
    /** How long a table stays CREATING / DELETING / UPDATING (default 500 ms). */
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    ssl?: boolean;
    verbose?: boolean;
    debug?: boolean;
  }

  /** Creates (but does not start) an HTTP server speaking the DynamoDB protocol. */
  function dynalite(options?: DynaliteOptions): Server;

  export = dynalite;
}
