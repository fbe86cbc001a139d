import request from 'supertest';

/**
 * A small bureau through the real API: the data bureau B supervises its offices O1 and O2
 * (they inherit it as their parent's supervisor); F is a department supervised elsewhere (S2).
 */
export interface Org {
  dept: Record<'B' | 'O1' | 'O2' | 'F' | 'S2', string>;
  token: Record<'admin' | 'handler' | 'lead' | 'lead2' | 'supervisor' | 'supervisor2' | 'outsider', string>;
  userId: Record<'handler' | 'lead' | 'lead2' | 'supervisor', string>;
}

export async function login(url: string, username: string, password: string): Promise<string> {
  const res = await request(url).post('/api/v1/auth/login').send({ username, password });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return `Bearer ${res.body.accessToken}`;
}

export async function buildOrg(url: string, adminPassword: string): Promise<Org> {
  const admin = await login(url, 'admin', adminPassword);
  const post = async (path: string, body: object) => {
    const res = await request(url).post(`/api/v1${path}`).set('Authorization', admin).send(body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const S2 = await post('/departments', { code: 's2', name: '市督查室', kind: 'office' });
  const B = await post('/departments', { code: 'b', name: '市政务服务数据管理局', kind: 'bureau', aliases: ['政数局'] });
  await request(url).patch(`/api/v1/departments/${B}`).set('Authorization', admin).send({ supervisorDepartmentId: B }).expect(200);
  const O1 = await post('/departments', { code: 'o1', name: '数据资源科', kind: 'office', parentId: B });
  const O2 = await post('/departments', { code: 'o2', name: '政务服务科', kind: 'office', parentId: B });
  const F = await post('/departments', { code: 'f', name: '市农业农村局', kind: 'bureau', supervisorDepartmentId: S2 });
  const password = 'password-123';
  const user = (username: string, departmentId: string, roles: string[]) => post('/users', { username, displayName: username, departmentId, roles, password });
  const userId = {
    handler: await user('handler', O1, ['handler']),
    lead: await user('lead', O1, ['lead']),
    lead2: await user('lead2', O2, ['lead']),
    supervisor: await user('supervisor', B, ['supervisor']),
  };
  await user('supervisor2', S2, ['supervisor']);
  await user('outsider', F, ['lead']);
  const token = {
    admin,
    handler: await login(url, 'handler', password),
    lead: await login(url, 'lead', password),
    lead2: await login(url, 'lead2', password),
    supervisor: await login(url, 'supervisor', password),
    supervisor2: await login(url, 'supervisor2', password),
    outsider: await login(url, 'outsider', password),
  };
  return { dept: { B, O1, O2, F, S2 }, token, userId };
}
