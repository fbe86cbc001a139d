import { Alert, App, Button, Card, Descriptions, Form, Input, Space, Tag, Typography } from 'antd';
import { errorText } from '../../api/problem';
import { useMe } from '../../hooks/auth';
import { useNames } from '../../hooks/names';
import { useChangeMyPassword } from '../../hooks/org';
import { ROLE_LABELS } from '../admin/org-words';

interface PasswordValues {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** `/me`: who the user is, and changing their own password (their other sessions end). */
export default function MePage() {
  const me = useMe();
  const names = useNames();
  const change = useChangeMyPassword();
  const { message } = App.useApp();
  const [form] = Form.useForm<PasswordValues>();
  const user = me.data;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%', maxWidth: 560 }}>
      <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
        个人信息
      </Typography.Title>
      {user && (
        <Card size="small">
          <Descriptions column={1} size="small">
            <Descriptions.Item label="姓名">{user.displayName}</Descriptions.Item>
            <Descriptions.Item label="用户名">{user.username}</Descriptions.Item>
            <Descriptions.Item label="单位">{names.departmentById(user.departmentId)}</Descriptions.Item>
            <Descriptions.Item label="角色">{user.roles.length ? user.roles.map((r) => <Tag key={r}>{ROLE_LABELS[r]}</Tag>) : '—'}</Descriptions.Item>
          </Descriptions>
        </Card>
      )}
      <Card size="small" title="修改密码">
        <Form<PasswordValues>
          form={form}
          layout="vertical"
          disabled={change.isPending}
          onFinish={({ currentPassword, newPassword }) =>
            change.mutate(
              { currentPassword, newPassword },
              { onSuccess: () => (void message.success('密码已修改，其他设备上的登录已退出'), form.resetFields()) },
            )
          }
        >
          <Form.Item label="当前密码" name="currentPassword" rules={[{ required: true, message: '请输入当前密码' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item label="新密码" name="newPassword" rules={[{ required: true, min: 8, message: '新密码至少 8 位' }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            label="确认新密码"
            name="confirm"
            dependencies={['newPassword']}
            rules={[
              { required: true, message: '请再次输入新密码' },
              ({ getFieldValue }) => ({
                validator: (_, value) =>
                  !value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入的新密码不一致')),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          {change.isError && <Alert type="error" showIcon role="alert" title={errorText(change.error)} style={{ marginBottom: 16 }} />}
          <Button type="primary" htmlType="submit" loading={change.isPending}>
            修改密码
          </Button>
        </Form>
      </Card>
    </Space>
  );
}
