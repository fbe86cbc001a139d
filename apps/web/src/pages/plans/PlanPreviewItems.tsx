import { Card, Descriptions, Grid, List, Space, Table, type TableProps, Tag, Typography } from 'antd';
import { formatMoment, OWNER_ROLES, TAG_STYLES } from '../../components/format';
import type { PreviewItem } from '../../hooks/plans';
import { useNames } from '../../hooks/names';

/** The warning colour dark enough on white for a 4.5:1 contrast (Ant Design's warning text is not). */
const WARNING_COLOR = TAG_STYLES.yellow.color;

/** The preview's items: a table on a desk, one card per item on a phone. */
export function PlanPreviewItems({ items }: { items: PreviewItem[] }) {
  const screens = Grid.useBreakpoint();
  return screens.md ? <ItemTable items={items} /> : <ItemCards items={items} />;
}

function ItemTable({ items }: { items: PreviewItem[] }) {
  const columns: TableProps<PreviewItem>['columns'] = [
    { title: '序号', dataIndex: 'number', key: 'number', width: 72 },
    { title: '事项', dataIndex: 'title', key: 'title', width: 190 },
    { title: '责任单位', key: 'owners', width: 220, render: (_, item) => <Owners item={item} /> },
    { title: '分解到县区', key: 'fanOut', width: 150, render: (_, item) => <Counties item={item} /> },
    { title: '期限', key: 'due', width: 176, render: (_, item) => <Due item={item} /> },
    { title: '目标', key: 'targets', render: (_, item) => <Targets item={item} /> },
    { title: '提示', key: 'warnings', width: 150, render: (_, item) => <Warnings item={item} /> },
  ];
  return (
    <Table<PreviewItem>
      rowKey={(item) => `${item.section ?? ''}|${item.number}`}
      size="small"
      columns={columns}
      dataSource={items}
      pagination={false}
      locale={{ emptyText: '未识别出任何事项' }}
      data-testid="preview-items"
    />
  );
}

function ItemCards({ items }: { items: PreviewItem[] }) {
  return (
    <List<PreviewItem>
      dataSource={items}
      locale={{ emptyText: '未识别出任何事项' }}
      data-testid="preview-items"
      renderItem={(item) => (
        <List.Item key={`${item.section ?? ''}|${item.number}`} style={{ padding: '6px 0', borderBlockEnd: 'none' }}>
          <Card size="small" style={{ width: '100%' }} title={<span style={{ whiteSpace: 'normal' }}>{`${item.number} ${item.title}`}</span>}>
            <Descriptions
              size="small"
              column={1}
              items={[
                { key: 'owners', label: '责任单位', children: <Owners item={item} /> },
                { key: 'fanOut', label: '分解到县区', children: <Counties item={item} /> },
                { key: 'due', label: '期限', children: <Due item={item} /> },
                { key: 'targets', label: '目标', children: <Targets item={item} /> },
                ...(item.warnings.length > 0 ? [{ key: 'warnings', label: '提示', children: <Warnings item={item} /> }] : []),
              ]}
            />
          </Card>
        </List.Item>
      )}
    />
  );
}

/** Each named unit as written, with the department it resolved to, or a red 未识别. */
function Owners({ item }: { item: PreviewItem }) {
  const names = useNames();
  if (item.owners.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space orientation="vertical" size={2}>
      {item.owners.map((o, i) => {
        const department = o.departmentId ? names.departmentById(o.departmentId) : null;
        return (
          <span key={`${o.name}-${i}`} data-testid="preview-owner">
            {department ?? o.name}
            {department && department !== o.name && <Typography.Text type="secondary">（原文：{o.name}）</Typography.Text>}{' '}
            {department ? (
              <Typography.Text type="secondary">{OWNER_ROLES[o.role]}</Typography.Text>
            ) : (
              <Tag style={{ ...TAG_STYLES.red, marginInlineEnd: 0 }}>未识别</Tag>
            )}
          </span>
        );
      })}
    </Space>
  );
}

function Counties({ item }: { item: PreviewItem }) {
  const names = useNames();
  if (item.fanOut.length === 0) return <Typography.Text type="secondary">不分解</Typography.Text>;
  return (
    <span>
      {item.fanOut.length} 个：{item.fanOut.map((id) => names.departmentById(id)).join('、')}
      {item.fanOutRole === 'co' && (
        <Tag style={{ marginInlineStart: 8 }} title="文中列为配合单位：各县区各办一份子任务，也是本事项的协办单位">
          兼{OWNER_ROLES.co}单位
        </Tag>
      )}
    </span>
  );
}

/** The due date with its year and the words it was read from; none for a long-term item. */
function Due({ item }: { item: PreviewItem }) {
  if (!item.dueAt) return <Typography.Text type="secondary">{item.dueText ? `无期限（${item.dueText}）` : '无期限'}</Typography.Text>;
  return (
    <span>
      <span style={{ whiteSpace: 'nowrap' }}>{formatMoment(item.dueAt)}</span>
      <Typography.Text type="secondary" style={{ display: 'block' }}>
        {item.dueText ? `原文：${item.dueText}` : '原文未写期限'}
      </Typography.Text>
    </span>
  );
}

function Targets({ item }: { item: PreviewItem }) {
  if (item.targets.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <ul style={{ margin: 0, paddingInlineStart: 18 }}>
      {item.targets.map((t) => (
        <li key={t}>{t}</li>
      ))}
    </ul>
  );
}

function Warnings({ item }: { item: PreviewItem }) {
  if (item.warnings.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <ul style={{ margin: 0, paddingInlineStart: 18, color: WARNING_COLOR }}>
      {item.warnings.map((w) => (
        <li key={w}>{w}</li>
      ))}
    </ul>
  );
}
