import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { isIP, isIPv6 } from 'node:net';
import proxyAddr from 'proxy-addr';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';

/** What every request without a usable address is counted as (a socket already gone). */
const UNKNOWN = 'unknown';

/**
 * The eight 16-bit groups of an IPv6 address as numbers, or null if it is not one. Accepts `::`
 * shorthand, a trailing dotted quad (`::ffff:1.2.3.4`) and a zone (`fe80::1%eth0`).
 */
function ipv6Groups(address: string): number[] | null {
  const plain = address.split('%')[0] ?? '';
  if (!isIPv6(plain)) return null;
  const [head = '', tail] = plain.split('::');
  const part = (s: string) => (s === '' ? [] : s.split(':'));
  const hex = (groups: string[]) =>
    groups.flatMap((g) => {
      if (!g.includes('.')) return [parseInt(g, 16)];
      const [a = 0, b = 0, c = 0, d = 0] = g.split('.').map(Number);
      return [(a << 8) | b, (c << 8) | d];
    });
  const left = hex(part(head));
  const right = tail === undefined ? [] : hex(part(tail));
  const zeros = Array.from({ length: 8 - left.length - right.length }, () => 0);
  return [...left, ...zeros, ...right];
}

/**
 * The key a client's budget is counted under: an IPv4 address as is (also when it arrives
 * IPv4-mapped, `::ffff:1.2.3.4`), an IPv6 address by its /64, which is what one subscriber gets
 * (counting single IPv6 addresses would give anyone billions of budgets).
 */
export function limitKeyOf(address: string): string {
  const groups = ipv6Groups(address);
  // Not an address (a proxy that passed a client's header on untouched): one shared budget.
  if (!groups) return isIP(address) === 4 ? address : UNKNOWN;
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/**
 * Who a request comes from: the connection's remote address, or, when that address is one of
 * the trusted proxies (TRUST_PROXY), the first address in X-Forwarded-For, read from the right,
 * that is not a trusted proxy. A header from anyone else is ignored. The same rules as Express's
 * `trust proxy` (both use proxy-addr), so HTTP and Socket.IO agree on an address.
 */
export function clientAddressOf(
  request: IncomingMessage,
  trust: (address: string, hop: number) => boolean,
): string {
  if (request.socket?.remoteAddress === undefined) return UNKNOWN;
  return proxyAddr(request, trust);
}

/** The client address and budget key of requests, under this instance's TRUST_PROXY. */
@Injectable()
export class ClientAddresses {
  private readonly trust: (address: string, hop: number) => boolean;
  private readonly known = new WeakMap<IncomingMessage, string>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.trust = proxyAddr.compile([...config.addressLimits.trustProxy]);
  }

  /** The budget key of the client behind `request` (an HTTP request, a socket's handshake). */
  keyOf(request: IncomingMessage): string {
    let key = this.known.get(request);
    if (key === undefined) {
      key = limitKeyOf(clientAddressOf(request, this.trust));
      this.known.set(request, key);
    }
    return key;
  }
}
