import { describe, expect, it } from '@jest/globals';
import { addressBucket, limiterKeys } from './login-limiter.js';

describe('addressBucket', () => {
  it('keeps an IPv4 address', () => expect(addressBucket('203.0.113.7')).toBe('203.0.113.7'));
  it('reads an IPv4-mapped IPv6 address as IPv4', () => expect(addressBucket('::ffff:203.0.113.7')).toBe('203.0.113.7'));
  it('counts IPv6 addresses of one /64 together', () => {
    expect(addressBucket('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:0DB8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
  });
  it('expands a compressed IPv6 address before taking its /64', () => expect(addressBucket('2001:db8::5')).toBe('2001:db8:0:0::/64'));
  it('reads loopback IPv6 and a zone id', () => {
    expect(addressBucket('::1')).toBe('0:0:0:0::/64');
    expect(addressBucket('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
  it('names a missing address', () => expect(addressBucket(undefined)).toBe('unknown'));
});

describe('limiterKeys', () => {
  it('counts a username whatever its case and surrounding blanks', () =>
    expect(limiterKeys('10.0.0.1', ' Wang.Lei ')).toEqual({ bucket: '10.0.0.1', name: 'wang.lei' }));
});
