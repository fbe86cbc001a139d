import { BellOutlined, LogoutOutlined, MenuOutlined } from '@ant-design/icons';
import { Badge, Button, Drawer, Grid, Layout, Menu, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import type { Me } from '../api/types';
import { useSignOut } from '../hooks/auth';
import { useNames } from '../hooks/names';
import { useNotificationStream, useUnreadCount } from '../hooks/notifications';

interface MenuEntry {
  path: string;
  label: string;
}

/** The menu of a user's roles: a lead or handler works tasks, a supervisor supervises, an admin administers. */
function menuOf(me: Me): MenuEntry[] {
  const entries: MenuEntry[] = [];
  if (me.roles.includes('lead') || me.roles.includes('handler')) entries.push({ path: '/work', label: '我的待办' });
  if (me.roles.includes('supervisor')) entries.push({ path: '/supervision', label: '督办台' });
  entries.push({ path: '/tasks', label: '全部任务' }, { path: '/plans', label: '工作计划' });
  if (me.roles.some((r) => r === 'supervisor' || r === 'admin' || r === 'lead')) entries.push({ path: '/reports', label: '统计报表' });
  entries.push({ path: '/notifications', label: '消息' });
  if (me.roles.includes('admin')) entries.push({ path: '/admin', label: '系统管理' });
  return entries;
}

/** The page frame: menu by role, and a header with the user and the unread count, kept live by the notice stream. */
export function Shell({ me }: { me: Me }) {
  useNotificationStream();
  const screens = Grid.useBreakpoint();
  const location = useLocation();
  const [drawer, setDrawer] = useState(false);
  const entries = menuOf(me);
  const selected = entries.filter((e) => location.pathname.startsWith(e.path)).map((e) => e.path);
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={selected}
      onClick={() => setDrawer(false)}
      items={entries.map((e) => ({ key: e.path, label: <Link to={e.path}>{e.label}</Link> }))}
    />
  );
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Header me={me} onMenu={screens.md ? undefined : () => setDrawer(true)} />
      <Layout>
        {screens.md ? (
          <Layout.Sider width={180} theme="light" style={{ borderInlineEnd: '1px solid #f0f0f0' }}>
            <nav aria-label="主菜单">{menu}</nav>
          </Layout.Sider>
        ) : (
          <Drawer open={drawer} onClose={() => setDrawer(false)} placement="left" size={220} title="督办" styles={{ body: { padding: 0 } }}>
            <nav aria-label="主菜单">{menu}</nav>
          </Drawer>
        )}
        <Layout.Content style={{ padding: screens.md ? 24 : 12, minWidth: 0 }}>
          <main>
            <Outlet />
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

function Header({ me, onMenu }: { me: Me; onMenu?: () => void }) {
  const unread = useUnreadCount();
  const names = useNames();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const count = unread.data ?? 0;
  return (
    <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 12, paddingInline: onMenu ? 12 : 24, background: '#001529', color: '#fff' }}>
      {onMenu && <Button type="text" aria-label="打开菜单" icon={<MenuOutlined style={{ color: '#fff' }} />} onClick={onMenu} />}
      <Typography.Title level={1} style={{ color: '#fff', margin: 0, fontSize: 18, whiteSpace: 'nowrap' }}>
        <Link to="/" style={{ color: '#fff' }}>
          督办系统
        </Link>
      </Typography.Title>
      <span style={{ flex: 1 }} />
      <Link to="/notifications" aria-label={`消息，${count} 条未读`} data-testid="unread-count" data-count={count}>
        <Badge count={count} overflowCount={99} size="small">
          <BellOutlined style={{ color: '#fff', fontSize: 18 }} />
        </Badge>
      </Link>
      <Link to="/me" title="个人信息与修改密码" style={{ minWidth: 0, color: '#fff' }}>
        <UserName me={me} department={names.departmentById(me.departmentId)} compact={onMenu !== undefined} />
      </Link>
      <Button
        type="text"
        aria-label="退出登录"
        icon={<LogoutOutlined />}
        style={{ color: '#fff' }}
        onClick={() => {
          signOut();
          void navigate('/login');
        }}
      >
        {onMenu ? null : '退出'}
      </Button>
    </Layout.Header>
  );
}

function UserName({ me, department, compact }: { me: Me; department: string; compact: boolean }): ReactNode {
  if (compact) {
    const style = {
      display: 'inline-block',
      whiteSpace: 'nowrap',
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      maxWidth: 140,
      verticalAlign: 'middle',
    } as const;
    return <span style={style}>{me.displayName}</span>;
  }
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      {me.displayName}
      {department !== '—' && <span style={{ opacity: 0.75 }}>（{department}）</span>}
    </span>
  );
}
