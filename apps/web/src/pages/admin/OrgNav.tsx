import { Segmented, Typography } from 'antd';
import { useNavigate } from 'react-router';

/** The heading of 单位与用户, switching between its two pages. */
export function OrgNav({ current }: { current: '/admin/departments' | '/admin/users' }) {
  const navigate = useNavigate();
  return (
    <>
      <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
        单位与用户
      </Typography.Title>
      <Segmented
        aria-label="单位与用户"
        value={current}
        options={[
          { value: '/admin/departments', label: '单位' },
          { value: '/admin/users', label: '用户' },
        ]}
        onChange={(to) => void navigate(to)}
      />
    </>
  );
}
