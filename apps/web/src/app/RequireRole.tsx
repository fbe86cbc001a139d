import { Result } from 'antd';
import { Link, Outlet } from 'react-router';
import type { Role } from '../api/types';
import { homeOf, useMe } from '../hooks/auth';

/**
 * The pages of one role (`/admin/...`: admins). The api refuses the others anyway (403); this says
 * so once for the whole page, with a way home, instead of every list on it failing in turn.
 * Rendered under RequireAuth, so the user is already known.
 */
export function RequireRole({ role, label }: { role: Role; label: string }) {
  const me = useMe();
  if (!me.data) return null;
  if (me.data.roles.includes(role)) return <Outlet />;
  return <Result status="403" title="无权访问" subTitle={`此页面仅限${label}使用。`} extra={<Link to={homeOf(me.data.roles)}>返回首页</Link>} />;
}
