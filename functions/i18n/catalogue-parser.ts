/**
 * Fluent's parser, apart from the translator: Lambda bundles ship their catalogues already parsed
 * (`locales/<locale>.json`, written at synth time by lib/constructs/herald-function.ts) and keep
 * this module external, so the parser's ~4 kB stays out of them. `npm start` and the tests read
 * the `.ftl` files and parse them here.
 */
import { FluentResource } from '@fluent/bundle';

/** The parsed messages of one catalogue, as FluentBundle.addResource takes them. */
export function parseCatalogue(source: string): FluentResource {
  return new FluentResource(source);
}
