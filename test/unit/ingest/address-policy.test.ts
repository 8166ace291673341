import { guardedLookup, isPublicAddress } from '../../../functions/ingest/address-policy';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.9.9.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '[::1]',
    'not an address',
  ])('refuses %s', (ip) => {
    expect(isPublicAddress(ip)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows %s', (ip) => {
    expect(isPublicAddress(ip)).toBe(true);
  });
});

describe('guardedLookup', () => {
  const resolvingTo =
    (...addresses: string[]) =>
    (
      _host: string,
      _opts: object,
      cb: (err: NodeJS.ErrnoException | null, a: { address: string; family: number }[]) => void,
    ) =>
      cb(
        null,
        addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
      );

  const run = (lookup: ReturnType<typeof guardedLookup>) =>
    new Promise<{ err: Error | null; address: unknown }>((resolve) =>
      lookup('feed.example', {}, (err, address) => resolve({ err, address })),
    );

  it('refuses a name when any of its addresses is private (DNS rebinding, mixed answers)', async () => {
    const { err } = await run(guardedLookup({ resolve: resolvingTo('93.184.216.34', '10.0.0.5') }));

    expect(err?.message).toBe(
      'refused: feed.example resolves to a private, loopback or link-local address (10.0.0.5)',
    );
  });

  it('passes a public answer through', async () => {
    const { err, address } = await run(guardedLookup({ resolve: resolvingTo('93.184.216.34') }));

    expect(err).toBeNull();
    expect(address).toBe('93.184.216.34');
  });

  it('allows other addresses only when told to', async () => {
    const { err, address } = await run(
      guardedLookup({ isAllowed: () => true, resolve: resolvingTo('127.0.0.1') }),
    );

    expect(err).toBeNull();
    expect(address).toBe('127.0.0.1');
  });
});
