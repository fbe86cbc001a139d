import { Space, Typography } from 'antd';
import { Queues } from './Queues';
import { SummaryCounts } from './SummaryCounts';

/** `/supervision` 督办台 (UI.md): the supervised departments' counts, and the supervisor's queues. */
export default function SupervisionPage() {
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
        督办台
      </Typography.Title>
      <SummaryCounts />
      <Queues />
    </Space>
  );
}
