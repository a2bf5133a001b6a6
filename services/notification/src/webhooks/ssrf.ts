// SSRF guard for webhook URLs. A URL is checked when it is registered (its host resolved),
// and again on every attempt at the moment of connecting: the HTTP agent's DNS lookup is
// ours, so the address the socket connects to is the one checked (no DNS-rebinding gap
// between check and use). Redirects are not followed blindly: each hop is checked the same
// way, at most MAX_REDIRECTS of them. Private, loopback, link-local, unique-local, CGNAT,
// multicast and unspecified addresses are refused unless the operator's policy allows that
// address for the workspace (WEBHOOK_ALLOW_PRIVATE).
import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`), else the address. */
function unmapped(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}

export function isPrivateAddress(address: string): boolean {
  const a = unmapped(address);
  const family = isIP(a);
  if (family === 0) return true; // not an address: refuse rather than guess
  return blocked.check(a, family === 4 ? 'ipv4' : 'ipv6');
}

/** `*=127.0.0.1,ws1=10.0.0.5` → whether `address` may be reached by `workspaceId` although private. */
export type PrivateAllowance = (workspaceId: string, address: string) => boolean;

export function parseAllowance(spec: string): PrivateAllowance {
  const entries = spec
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
    .map((e) => {
      const [ws, ip] = e.split('=');
      if (!ws || !ip || isIP(ip) === 0) throw new Error(`WEBHOOK_ALLOW_PRIVATE: "${e}" is not <workspace|*>=<ip>`);
      return { ws, ip };
    });
  return (workspaceId, address) =>
    entries.some(({ ws, ip }) => (ws === '*' || ws === workspaceId) && ip === unmapped(address));
}

export class RefusedAddressError extends Error {}

/** Throws RefusedAddressError unless every address is public or allowed. */
function checkAddresses(host: string, addresses: string[], workspaceId: string, allow: PrivateAllowance): void {
  for (const address of addresses) {
    if (isPrivateAddress(address) && !allow(workspaceId, address))
      throw new RefusedAddressError(
        `${host} resolves to ${address}, a private, loopback or link-local address: refused (see WEBHOOK_ALLOW_PRIVATE)`,
      );
  }
}

/** The URL's problem for registration (scheme, credentials, address), or null if it is acceptable. */
export async function urlProblem(raw: string, workspaceId: string, allow: PrivateAllowance): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a valid absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be http:// or https://';
  if (url.username || url.password) return 'must not carry credentials';
  if (raw.length > 2048) return 'at most 2048 characters';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  try {
    const addresses = isIP(host)
      ? [host]
      : await new Promise<string[]>((resolve, reject) =>
          dnsLookup(host, { all: true }, (err, found: LookupAddress[]) =>
            err ? reject(err) : resolve(found.map((f) => f.address)),
          ),
        );
    checkAddresses(host, addresses, workspaceId, allow);
  } catch (err) {
    if (err instanceof RefusedAddressError) return err.message;
    return `${host} does not resolve`;
  }
  return null;
}

/** Throws RefusedAddressError for a literal private address (the agent's lookup is not called for literals). */
export function checkLiteralHost(url: URL, workspaceId: string, allow: PrivateAllowance): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) checkAddresses(host, [host], workspaceId, allow);
}

/** A DNS lookup for http.request that refuses private addresses (checked at connect time). */
export function guardedLookup(workspaceId: string, allow: PrivateAllowance) {
  return (
    hostname: string,
    options: object,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      try {
        checkAddresses(
          hostname,
          addresses.map((a) => a.address),
          workspaceId,
          allow,
        );
      } catch (refused) {
        return callback(refused as NodeJS.ErrnoException, '', 0);
      }
      if ((options as { all?: boolean }).all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
