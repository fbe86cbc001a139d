import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkTarget, postToTarget, RefusedTargetError, type Resolver } from './webhook-target.js';

const resolverOf =
  (answers: Record<string, string[]>): Resolver =>
  (host) =>
    Promise.resolve((answers[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));

describe('checkTarget: resolve once, check every address', () => {
  it('refuses a name that resolves to a private address, naming the address', async () => {
    const resolve = resolverOf({ 'evil.example': ['93.184.215.14', '10.0.0.7'] });
    await expect(checkTarget('https://evil.example/hook', new Set(), resolve)).rejects.toThrow(/evil\.example resolves to 10\.0\.0\.7, private/);
  });

  it('refuses IP literals without asking the resolver, in any notation the URL parser accepts', async () => {
    const resolve: Resolver = () => Promise.reject(new Error('the resolver was asked'));
    for (const url of [
      'http://127.0.0.1/',
      'http://2130706433/',
      'http://[::ffff:127.0.0.1]/',
      'http://169.254.169.254/latest/meta-data',
      'http://[fd00:ec2::254]/',
    ]) {
      await expect(checkTarget(url, new Set(), resolve)).rejects.toBeInstanceOf(RefusedTargetError);
    }
  });

  it('refuses a name that does not resolve', async () => {
    const resolve: Resolver = () => Promise.reject(Object.assign(new Error('nx'), { code: 'ENOTFOUND' }));
    await expect(checkTarget('https://nowhere.example/', new Set(), resolve)).rejects.toThrow(/does not resolve \(ENOTFOUND\)/);
  });

  it('returns the first checked address of a public name, and an allowed loopback one', async () => {
    const resolve = resolverOf({ 'hooks.example.com': ['93.184.215.14'] });
    await expect(checkTarget('https://hooks.example.com/in', new Set(), resolve)).resolves.toMatchObject({ address: '93.184.215.14', family: 4 });
    await expect(checkTarget('http://127.0.0.1:9/in', new Set(['127.0.0.1']), resolve)).resolves.toMatchObject({ address: '127.0.0.1' });
  });
});

describe('postToTarget: the connection goes to the checked address only', () => {
  let server: Server;
  let port: number;
  const seen: { headers: IncomingHttpHeaders; url: string; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ headers: req.headers, url: req.url ?? '', body });
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('connects to the pinned address whatever the name resolves to now, keeping Host, path and credentials', async () => {
    // `rebound.invalid` resolves nowhere: only the pinned address can have carried the request.
    const url = new URL(`http://us%40er:p%3Ass@rebound.invalid:${port}/hook?x=1`);
    const status = await postToTarget({ url, address: '127.0.0.1', family: 4 }, { 'content-type': 'application/json' }, '{"a":1}', 5000);
    expect(status).toBe(204);
    expect(seen.at(-1)).toMatchObject({ url: '/hook?x=1', body: '{"a":1}' });
    expect(seen.at(-1)!.headers.host).toBe(`rebound.invalid:${port}`);
    expect(seen.at(-1)!.headers.authorization).toBe(`Basic ${Buffer.from('us@er:p:ss').toString('base64')}`);
  });
});
