import { Alert, Card, List, Space, Tag, Typography } from 'antd';
import { formatMoment, TAG_STYLES } from '../../components/format';
import { anyDifference, type PlanDifferences, type PlanFieldChange } from '../../hooks/plans';

/** What the api's change fields are called on the plan's page. */
const FIELD_LABELS: Record<PlanFieldChange['field'], string> = {
  leads: '牵头单位',
  cos: '配合单位',
  fanOut: '分解到县区',
  dueAt: '完成时限',
  title: '事项标题',
  body: '事项内容',
};

const value = (change: PlanFieldChange, v: string | null) => (v === null ? '无' : change.field === 'dueAt' ? formatMoment(v) : v);

/**
 * The differences of a plan imported before (新增, 删除, 修改), each changed item with what changed
 * as old → new, and which tasks a revision leaves as they are (closed already).
 */
export function PlanDifferencesView({ differences, title }: { differences: PlanDifferences; title: string }) {
  if (!anyDifference(differences)) return <Alert type="info" showIcon title="该计划此前已导入，内容没有变化" description="导入不会创建或修改任何任务。" />;
  const { added, removed, changed } = differences;
  return (
    <Card size="small" title={title} data-testid="plan-differences">
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Typography.Text>
          新增 {added.length} 项、删除 {removed.length} 项、修改 {changed.length}{' '}
          项。确认修订后：新增事项创建任务，删除事项的未办结任务撤销，修改事项的任务按新内容更新并通知责任单位。
        </Typography.Text>
        {added.length > 0 && (
          <List
            size="small"
            header={<Tag style={TAG_STYLES.green}>新增</Tag>}
            dataSource={added}
            renderItem={(item) => (
              <List.Item>
                {item.number} {item.title}
              </List.Item>
            )}
          />
        )}
        {removed.length > 0 && (
          <List
            size="small"
            header={<Tag style={TAG_STYLES.red}>删除</Tag>}
            dataSource={removed}
            renderItem={(item) => (
              <List.Item>
                {item.number} {item.title}
                {item.open ? '（任务将撤销）' : <Typography.Text type="secondary">（任务已办结，保持不变）</Typography.Text>}
              </List.Item>
            )}
          />
        )}
        {changed.length > 0 && (
          <List
            size="small"
            header={<Tag style={TAG_STYLES.yellow}>修改</Tag>}
            dataSource={changed}
            renderItem={(item) => (
              <List.Item>
                <Space orientation="vertical" size={2}>
                  <span>
                    {item.number} {item.title}
                    {!item.open && <Typography.Text type="secondary">（任务已办结，保持不变）</Typography.Text>}
                  </span>
                  {item.changes.map((change) => (
                    <Typography.Text key={change.field} style={{ fontSize: 13 }}>
                      {FIELD_LABELS[change.field]}：
                      {change.field === 'body' ? (
                        '内容有修改'
                      ) : (
                        <>
                          <span style={{ color: TAG_STYLES.red.color, textDecoration: 'line-through' }}>{value(change, change.from)}</span>
                          {' → '}
                          <span style={{ color: TAG_STYLES.green.color }}>{value(change, change.to)}</span>
                        </>
                      )}
                    </Typography.Text>
                  ))}
                </Space>
              </List.Item>
            )}
          />
        )}
      </Space>
    </Card>
  );
}
