/**
 * Stand-in, in Lambda bundles, for two packages Telegraf requires at load time for paths Herald
 * never takes: `sandwich-stream` (multipart uploads of files; Herald sends no files) and
 * `safe-compare` (Telegraf's own webhookCallback; Herald's webhook edge compares the secret
 * itself, functions/http-edge.ts). Both fail loudly if ever reached, rather than misbehave.
 * CommonJS on purpose: Telegraf `require`s them and extends the first as a class.
 */
class NotBundled {
  constructor() {
    throw new Error('no file uploads');
  }
}
function notBundled(): never {
  throw new Error('no webhookCallback');
}
const shim = Object.assign(notBundled, { default: NotBundled, SandwichStream: NotBundled });
export = shim;
