import { describe, expect, it } from '@jest/globals';
import { classifyAddress, maskUrl, parseAllowHosts, parseV6, targetRefusal, urlHost } from './webhook-address.js';

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'cloud metadata'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['100.127.255.255', 'shared (CGNAT)'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'cloud metadata'],
    ['::ffff:10.0.0.1', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:7f00:1::', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['ff02::1', 'multicast'],
    ['[::1]', 'loopback'],
  ])('refuses %s as %s', (address, why) => {
    expect(classifyAddress(address)).toBe(why);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '100.128.0.1', '169.255.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8'])(
    'accepts the public address %s',
    (address) => {
      expect(classifyAddress(address)).toBeNull();
    },
  );

  it('does not take a name or a malformed address for an IP', () => {
    expect(classifyAddress('localhost')).toBe('not an IP address');
    expect(classifyAddress('1.2.3.256')).toBe('not an IP address');
    expect(classifyAddress('1::2::3')).toBe('not an IP address');
  });
});

describe('parseV6', () => {
  it('expands "::" and reads a dotted tail', () => {
    expect(parseV6('::ffff:127.0.0.1')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
    expect(parseV6('2001:db8::')).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0]);
    expect(parseV6('1:2:3:4:5:6:7:8:9')).toBeNull();
  });
});

describe('urlHost: the URL parser normalises the forms an attacker might hide an address in', () => {
  it.each([
    ['http://2130706433/hook', '127.0.0.1'],
    ['http://0177.0.0.1/hook', '127.0.0.1'],
    ['http://0x7f.1/hook', '127.0.0.1'],
    ['http://127.1/hook', '127.0.0.1'],
    ['http://[::ffff:127.0.0.1]/hook', '::ffff:7f00:1'],
    ['http://LOCALHOST./hook', 'localhost'],
  ])('%s is %s', (url, host) => {
    expect(urlHost(new URL(url))).toBe(host);
    if (host !== 'localhost') expect(targetRefusal(host, [host], new Set())).toMatch(/loopback/);
  });
});

describe('targetRefusal', () => {
  const none = new Set<string>();

  it('refuses a name when any address it resolves to is not public', () => {
    expect(targetRefusal('hooks.example.com', ['93.184.215.14', '10.0.0.5'], none)).toBe('hooks.example.com resolves to 10.0.0.5, private');
    expect(targetRefusal('hooks.example.com', ['93.184.215.14'], none)).toBeNull();
  });

  it('refuses metadata names whatever they resolve to, and names that resolve to nothing', () => {
    expect(targetRefusal('metadata.google.internal', ['93.184.215.14'], none)).toMatch(/metadata/);
    expect(targetRefusal('nowhere.example', [], none)).toMatch(/no address/);
  });

  it('admits what an admin allows, by name or by address', () => {
    const allow = parseAllowHosts(' localhost, 10.1.2.3 ,Hooks.Internal,[::1]');
    expect([...allow]).toEqual(['localhost', '10.1.2.3', 'hooks.internal', '::1']);
    expect(targetRefusal('localhost', ['127.0.0.1', '::1'], allow)).toBeNull();
    expect(targetRefusal('hooks.internal', ['10.9.9.9'], allow)).toBeNull();
    expect(targetRefusal('10.1.2.3', ['10.1.2.3'], allow)).toBeNull();
    expect(targetRefusal('10.1.2.4', ['10.1.2.4'], allow)).toBe('10.1.2.4 is private');
  });
});

describe('maskUrl', () => {
  it('masks user and password, and leaves a URL without them as stored', () => {
    expect(maskUrl('https://alice:s3cret@hooks.example.com/in?x=1')).toBe('https://***:***@hooks.example.com/in?x=1');
    expect(maskUrl('https://token@hooks.example.com/in')).toBe('https://***@hooks.example.com/in');
    expect(maskUrl('https://hooks.example.com:8443/in')).toBe('https://hooks.example.com:8443/in');
  });
});
