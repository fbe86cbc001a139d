import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, type TableProps, Tag } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { errorText } from '../../api/problem';
import type { Role, User } from '../../api/types';
import { useCreateUser, useDepartments, useUpdateUser, useUsers } from '../../hooks/org';
import { options, ROLE_LABELS } from './org-words';
import { OrgNav } from './OrgNav';

const PAGE_SIZE = 20;

interface UserValues {
  username: string;
  displayName: string;
  departmentId?: string;
  roles: Role[];
  email?: string;
  password: string;
}

type Mode = { kind: 'create' } | { kind: 'edit' | 'password'; user: User };

/** `/admin/users`: users by department and role; create, edit roles and department, reset a password, disable and enable. */
export default function UsersPage() {
  const [params, setParams] = useSearchParams();
  const departmentId = params.get('departmentId') ?? undefined;
  const role = (params.get('role') as Role | null) ?? undefined;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const users = useUsers({ departmentId, role, page, limit: PAGE_SIZE });
  const departments = useDepartments();
  const [mode, setMode] = useState<Mode | null>(null);
  const departmentName = (id: string | null) => departments.data?.items.find((d) => d.id === id)?.name ?? '—';
  const departmentOptions = (departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }));
  const setFilter = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete('page');
    setParams(next);
  };
  const columns: TableProps<User>['columns'] = [
    { title: '姓名', dataIndex: 'displayName' },
    { title: '用户名', dataIndex: 'username', responsive: ['md'] },
    { title: '单位', dataIndex: 'departmentId', render: (id: string | null) => departmentName(id) },
    { title: '角色', dataIndex: 'roles', responsive: ['sm'], render: (roles: Role[]) => roles.map((r) => <Tag key={r}>{ROLE_LABELS[r]}</Tag>) },
    { title: '状态', dataIndex: 'disabled', render: (disabled?: boolean) => <span style={{ whiteSpace: 'nowrap' }}>{disabled ? '已停用' : '正常'}</span> },
    {
      title: '操作',
      key: 'actions',
      render: (_, user) => <UserActions user={user} onOpen={setMode} />,
    },
  ];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <OrgNav current="/admin/users" />
      <Space wrap>
        <UserFilters departmentId={departmentId} role={role} departmentOptions={departmentOptions} onChange={setFilter} />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setMode({ kind: 'create' })}>
          新建用户
        </Button>
      </Space>
      {users.isError && <Alert type="error" showIcon title={errorText(users.error)} />}
      <Table<User>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={users.data?.items ?? []}
        loading={users.isPending}
        locale={{ emptyText: '没有符合条件的用户' }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: users.data?.total ?? 0,
          showSizeChanger: false,
          onChange: (p) => {
            const next = new URLSearchParams(params);
            if (p > 1) next.set('page', String(p));
            else next.delete('page');
            setParams(next);
          },
        }}
      />
      {mode?.kind === 'password' ? (
        <PasswordForm user={mode.user} onClose={() => setMode(null)} />
      ) : (
        mode && <UserForm mode={mode} departmentOptions={departmentOptions} onClose={() => setMode(null)} />
      )}
    </Space>
  );
}

/** 按单位筛选, 按角色筛选: kept in the URL, so a filtered list is bookmarkable. */
function UserFilters(props: {
  departmentId?: string;
  role?: Role;
  departmentOptions: { value: string; label: string }[];
  onChange: (key: string, value: string | undefined) => void;
}) {
  const { departmentId, role, departmentOptions, onChange } = props;
  return (
    <>
      <Select
        aria-label="按单位筛选"
        placeholder="全部单位"
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        style={{ width: 220 }}
        value={departmentId}
        options={departmentOptions}
        onChange={(v?: string) => onChange('departmentId', v)}
      />
      <Select
        aria-label="按角色筛选"
        placeholder="全部角色"
        allowClear
        style={{ width: 150 }}
        value={role}
        options={options(ROLE_LABELS)}
        onChange={(v?: string) => onChange('role', v)}
      />
    </>
  );
}

/** A user's row actions: edit, reset the password, disable (asked first: it ends their sessions) or enable again. */
function UserActions({ user, onOpen }: { user: User; onOpen: (mode: Mode) => void }) {
  const update = useUpdateUser();
  const { message } = App.useApp();
  const setDisabled = (user: User, disabled: boolean) =>
    update.mutate(
      { id: user.id, body: { disabled } },
      {
        onSuccess: () => void message.success(disabled ? `已停用 ${user.displayName}` : `已启用 ${user.displayName}`),
        onError: (e) => void message.error(errorText(e)),
      },
    );
  return (
    <Space size={0} wrap>
      <Button type="link" size="small" onClick={() => onOpen({ kind: 'edit', user })} aria-label={`编辑 ${user.displayName}`}>
        编辑
      </Button>
      <Button type="link" size="small" onClick={() => onOpen({ kind: 'password', user })} aria-label={`重置 ${user.displayName} 的密码`}>
        重置密码
      </Button>
      {user.disabled ? (
        <Button type="link" size="small" onClick={() => setDisabled(user, false)} aria-label={`启用 ${user.displayName}`}>
          启用
        </Button>
      ) : (
        <Popconfirm
          title={`停用 ${user.displayName}？`}
          description="停用后该用户立即退出登录，且不能再登录。"
          okText="停用"
          cancelText="取消"
          onConfirm={() => setDisabled(user, true)}
        >
          <Button type="link" size="small" aria-label={`停用 ${user.displayName}`}>
            停用
          </Button>
        </Popconfirm>
      )}
    </Space>
  );
}

function UserForm({ mode, departmentOptions, onClose }: { mode: Mode; departmentOptions: { value: string; label: string }[]; onClose: () => void }) {
  const create = useCreateUser();
  const update = useUpdateUser();
  const mutation = mode.kind === 'create' ? create : update;
  const { message } = App.useApp();
  const [form] = Form.useForm<UserValues>();
  const user = mode.kind === 'create' ? undefined : mode.user;
  const submit = (values: UserValues) => {
    const done = { onSuccess: () => (void message.success('已保存'), onClose()) };
    const email = values.email?.trim() || null;
    if (!user) create.mutate({ ...values, departmentId: values.departmentId ?? null, email }, done);
    else update.mutate({ id: user.id, body: { displayName: values.displayName, departmentId: values.departmentId ?? null, roles: values.roles, email } }, done);
  };
  return (
    <Modal
      open
      title={user ? `编辑用户：${user.displayName}` : '新建用户'}
      okText="保存"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={mutation.isPending}
      destroyOnHidden
    >
      <Form<UserValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={
          user
            ? { displayName: user.displayName, departmentId: user.departmentId ?? undefined, roles: user.roles, email: user.email ?? undefined }
            : { roles: [] }
        }
      >
        {!user && (
          <Form.Item
            label="用户名"
            name="username"
            rules={[
              { required: true, message: '请输入用户名' },
              { pattern: /^[A-Za-z0-9_.@-]{2,64}$/, message: '用户名由 2–64 个字母、数字或“_”“.”“@”“-”组成' },
            ]}
          >
            <Input autoComplete="off" maxLength={64} />
          </Form.Item>
        )}
        <Form.Item label="姓名" name="displayName" rules={[{ required: true, whitespace: true, message: '请输入姓名' }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item label="所属单位" name="departmentId" extra="部门负责人和承办人必须选择所属单位">
          <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={departmentOptions} placeholder="选择单位" />
        </Form.Item>
        <Form.Item label="角色" name="roles">
          <Select mode="multiple" options={options(ROLE_LABELS)} placeholder="选择角色" />
        </Form.Item>
        <Form.Item label="邮箱" name="email" rules={[{ type: 'email', message: '请输入有效的邮箱地址' }]}>
          <Input autoComplete="off" />
        </Form.Item>
        {!user && (
          <Form.Item label="初始密码" name="password" rules={[{ required: true, min: 8, message: '密码至少 8 位' }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
      </Form>
      {mutation.isError && <Alert type="error" showIcon role="alert" title={errorText(mutation.error)} />}
    </Modal>
  );
}

function PasswordForm({ user, onClose }: { user: User; onClose: () => void }) {
  const update = useUpdateUser();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ password: string }>();
  return (
    <Modal
      open
      title={`重置密码：${user.displayName}`}
      okText="重置"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={update.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={({ password }) =>
          update.mutate({ id: user.id, body: { password } }, { onSuccess: () => (void message.success('密码已重置，该用户需用新密码重新登录'), onClose()) })
        }
      >
        <Form.Item label="新密码" name="password" extra="重置后该用户的登录全部失效" rules={[{ required: true, min: 8, message: '密码至少 8 位' }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
      {update.isError && <Alert type="error" showIcon role="alert" title={errorText(update.error)} />}
    </Modal>
  );
}
