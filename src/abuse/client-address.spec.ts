import type { IncomingMessage } from 'node:http';
import { loadConfig } from '../config/app-config';
import { ClientAddresses, limitKeyOf } from './client-address';

/** A request as Node hands it over: the connection's address and the headers. */
function request(remoteAddress: string | undefined, forwardedFor?: string): IncomingMessage {
  const headers = forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor };
  return { socket: { remoteAddress }, headers } as unknown as IncomingMessage;
}

const addresses = (trustProxy?: string) =>
  new ClientAddresses(loadConfig(trustProxy ? { TRUST_PROXY: trustProxy } : {}));

describe('ClientAddresses: who a request comes from', () => {
  it('is the connection address, whatever X-Forwarded-For says, when no proxy is trusted', () => {
    expect(addresses().keyOf(request('198.51.100.9', '203.0.113.7'))).toBe('198.51.100.9');
    expect(addresses().keyOf(request('127.0.0.1', '203.0.113.7'))).toBe('127.0.0.1');
  });

  it('ignores a forged X-Forwarded-For from an address that is not a named proxy', () => {
    const behindHaproxy = addresses('127.0.0.1');

    expect(behindHaproxy.keyOf(request('198.51.100.9', '203.0.113.7'))).toBe('198.51.100.9');
  });

  it("takes the proxy's last hop when the connection comes from a named proxy", () => {
    const behindHaproxy = addresses('127.0.0.1');

    expect(behindHaproxy.keyOf(request('127.0.0.1', '203.0.113.7'))).toBe('203.0.113.7');
  });

  it('takes the first untrusted hop from the right: what the client wrote itself is not believed', () => {
    // The client sent "X-Forwarded-For: 6.6.6.6"; HAProxy appended the address it saw.
    const behindHaproxy = addresses('127.0.0.1');

    expect(behindHaproxy.keyOf(request('127.0.0.1', '6.6.6.6, 203.0.113.7'))).toBe('203.0.113.7');
  });

  it('walks through every named proxy and CIDR block, and stops at the first other address', () => {
    const twoTiers = addresses('127.0.0.1, 10.0.0.0/8');

    expect(twoTiers.keyOf(request('127.0.0.1', '6.6.6.6, 203.0.113.7, 10.1.2.3'))).toBe(
      '203.0.113.7',
    );
    // Only proxies in the chain: the farthest one is the client.
    expect(twoTiers.keyOf(request('127.0.0.1', '10.0.0.5'))).toBe('10.0.0.5');
  });

  it('treats an IPv4-mapped connection address as the IPv4 address, for trust and for the budget', () => {
    const behindHaproxy = addresses('127.0.0.1');

    expect(behindHaproxy.keyOf(request('::ffff:127.0.0.1', '203.0.113.7'))).toBe('203.0.113.7');
    expect(addresses().keyOf(request('::ffff:127.0.0.2'))).toBe('127.0.0.2');
  });

  it('counts a proxy chain that hands over something other than an address as one unknown client', () => {
    const behindHaproxy = addresses('127.0.0.1');

    expect(behindHaproxy.keyOf(request('127.0.0.1', 'evil{tag}'))).toBe('unknown');
    expect(addresses().keyOf(request(undefined))).toBe('unknown');
  });
});

describe('limitKeyOf: the key a budget is counted under', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(limitKeyOf('203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts IPv6 clients by their /64, however the address is written', () => {
    expect(limitKeyOf('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(limitKeyOf('2001:0db8:0001:0002:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(limitKeyOf('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(limitKeyOf('::1')).toBe('0:0:0:0::/64');
    expect(limitKeyOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(limitKeyOf('64:ff9b::198.51.100.9')).toBe('64:ff9b:0:0::/64');
  });
});

describe('TRUST_PROXY', () => {
  it('accepts IPs and CIDR blocks of both families', () => {
    const config = loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1, fd00::/8' });

    expect(config.addressLimits.trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']);
  });

  it('refuses a host name or an impossible block, naming the variable', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'haproxy' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.1/8/2' })).toThrow(/TRUST_PROXY/);
  });
});
