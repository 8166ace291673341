/**
 * Which addresses a feed fetch may connect to. A feed URL is supplied by an admin, but it can
 * still point (or redirect, or resolve) at the machine's own services or the cloud's metadata
 * endpoint: only public unicast addresses are allowed. The check runs on the addresses DNS
 * actually returned, at connect time, so a name that resolves differently the second time
 * (DNS rebinding) gains nothing. ipaddr.js knows the special ranges.
 */
import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';

import ipaddr from 'ipaddr.js';

/** True for a public unicast IPv4 or IPv6 address (an IPv4-mapped IPv6 address is judged as IPv4). */
export function isPublicAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return false;
  return ipaddr.process(bare).range() === 'unicast';
}

/** The connection was refused because the host is (or resolves to) a non-public address. */
export class BlockedAddressError extends Error {
  override name = 'BlockedAddressError';
  readonly code = 'EHERALD_BLOCKED_ADDRESS';
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`refused: ${host} is a private, loopback or link-local address (${address})`);
    if (isIP(host.replace(/^\[|\]$/g, '')) === 0) {
      this.message = `refused: ${host} resolves to a private, loopback or link-local address (${address})`;
    }
  }
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** The DNS lookup function http.request uses; injectable so tests can resolve a name to 127.0.0.1. */
export type LookupFunction = (
  hostname: string,
  options: LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const systemLookup: LookupFunction = (hostname, options, callback) =>
  dnsLookup(hostname, { ...options, all: true }, callback);

/**
 * A `lookup` for http.request that resolves every address and refuses the connection if any
 * of them is not allowed (by default: not public). A mixed answer is suspicious, and the
 * socket may pick any of its addresses.
 */
export function guardedLookup(opts: { isAllowed?: (ip: string) => boolean; resolve?: LookupFunction } = {}) {
  const isAllowed = opts.isAllowed ?? isPublicAddress;
  const resolve = opts.resolve ?? systemLookup;
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const blocked = addresses.find((a) => !isAllowed(a.address));
      if (blocked) return callback(new BlockedAddressError(hostname, blocked.address), []);
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
      if (options.all) return callback(null, addresses);
      return callback(null, first.address, first.family);
    });
  };
}
