import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, errorText } from '../../api/problem';
import { safeNext } from '../../api/session';
import { homeOf, useLogin } from '../../hooks/auth';

/** Why a login failed, in the words a user needs (wrong password, too many tries, no connection). */
function loginError(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) return '用户名或密码错误';
  if (error instanceof ApiError && error.status === 429) return '登录失败次数过多，请稍后再试';
  return errorText(error);
}

/** `/login`: 用户名, 密码, 登录; afterwards back to `next`, or to the user's home. */
export default function LoginPage() {
  const login = useLogin();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = params.get('next');
  const submit = (values: { username: string; password: string }) =>
    login.mutate(values, { onSuccess: ({ user }) => void navigate(next ? safeNext(next) : homeOf(user.roles), { replace: true }) });
  return (
    <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f2f5', padding: 16 }}>
      <Card style={{ width: '100%', maxWidth: 380 }}>
        <Typography.Title level={1} style={{ fontSize: 22, textAlign: 'center', marginTop: 0 }}>
          督办系统
        </Typography.Title>
        <Form layout="vertical" onFinish={submit} requiredMark={false} disabled={login.isPending}>
          <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {login.isError && <Alert type="error" showIcon title={loginError(login.error)} style={{ marginBottom: 16 }} role="alert" />}
          <Button type="primary" htmlType="submit" block loading={login.isPending}>
            登录
          </Button>
        </Form>
      </Card>
    </main>
  );
}
