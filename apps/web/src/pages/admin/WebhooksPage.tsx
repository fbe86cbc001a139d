import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, type TableProps, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { errorText } from '../../api/problem';
import type { components } from '../../api/schema';
import { formatMoment, TAG_STYLES } from '../../components/format';
import { useDepartments } from '../../hooks/org';
import { useCreateWebhook, useDeleteWebhook, useDeliveries, useSendTestDelivery, useWebhooks } from '../../hooks/webhooks';

type Webhook = components['schemas']['WebhookDto'];
type Delivery = components['schemas']['DeliveryDto'];
type EventName = components['schemas']['CreateWebhookDto']['events'][number];

const PAGE_SIZE = 20;

/** The words of the events a webhook may subscribe to (API.md), and of a test delivery's. */
const EVENT_LABELS: Record<EventName, string> = {
  '*': '全部事件',
  'task.created': '任务创建',
  'task.assigned': '任务指派',
  'task.transitioned': '状态变更',
  'task.reminder': '到期提醒',
  'task.overdue': '任务逾期',
  'task.escalated': '升级督办',
  'task.sla_breached': '超出时限',
  'task.closed': '任务办结',
  'task.progress_requested': '要求报送进度',
  'task.callback_due': '回访到期',
  'task.co_opinion_due': '协办意见到期',
  'task.co_opinion_late': '协办意见逾期',
  'task.urged': '催办',
  'task.carded': '亮牌',
  'task.card_withdrawn': '撤销亮牌',
  'task.withdrawn': '撤销任务',
  'task.revised': '计划修订',
};
const eventLabel = (event: string) => (event === 'webhook.test' ? '测试投递' : (EVENT_LABELS[event as EventName] ?? event));

/** A delivery's state from what the api reports: delivered, retrying, given up (no next attempt) or not tried yet. */
function deliveryState(d: Delivery) {
  if (d.deliveredAt) return <Tag style={TAG_STYLES.green}>已送达</Tag>;
  if (d.attempts === 0) return <Tag>等待投递</Tag>;
  if (d.nextAttemptAt) return <Tag style={TAG_STYLES.yellow}>重试中</Tag>;
  return <Tag style={TAG_STYLES.red}>已放弃</Tag>;
}

interface WebhookValues {
  url: string;
  secret: string;
  events: EventName[];
  departmentId?: string;
}

/** `/admin/webhooks`: subscriptions, a test delivery, and a subscription's deliveries with status and attempts. */
export default function WebhooksPage() {
  const webhooks = useWebhooks();
  const departments = useDepartments();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const selected = webhooks.data?.items.find((w) => w.id === params.get('hook'));
  const departmentName = (id: string | null) => (id ? (departments.data?.items.find((d) => d.id === id)?.name ?? '—') : '全部单位');
  const columns: TableProps<Webhook>['columns'] = [
    { title: '推送地址', dataIndex: 'url', render: (url: string) => <Typography.Text style={{ overflowWrap: 'anywhere' }}>{url}</Typography.Text> },
    { title: '事件', dataIndex: 'events', responsive: ['sm'], render: (events: string[]) => events.map((e) => <Tag key={e}>{eventLabel(e)}</Tag>) },
    { title: '单位', dataIndex: 'departmentId', responsive: ['md'], render: departmentName },
    { title: '创建时间', dataIndex: 'createdAt', responsive: ['lg'], render: (at: string) => formatMoment(at) },
    {
      title: '操作',
      key: 'actions',
      render: (_, hook) => (
        <WebhookActions hook={hook} onShow={() => setParams({ hook: hook.id })} onRemoved={() => selected?.id === hook.id && setParams({})} />
      ),
    },
  ];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
        Webhook 订阅
      </Typography.Title>
      <Space wrap>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          新建订阅
        </Button>
      </Space>
      {webhooks.isError && <Alert type="error" showIcon title={errorText(webhooks.error)} />}
      <Table<Webhook>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={webhooks.data?.items ?? []}
        loading={webhooks.isPending}
        locale={{ emptyText: '暂无订阅' }}
        pagination={false}
      />
      {selected && <Deliveries key={selected.id} webhook={selected} />}
      {creating && <WebhookForm departments={departments.data?.items ?? []} onClose={() => setCreating(false)} />}
    </Space>
  );
}

/** A subscription's actions: a test delivery (then its deliveries shown), its deliveries, unsubscribe (asked first). */
function WebhookActions({ hook, onShow, onRemoved }: { hook: Webhook; onShow: () => void; onRemoved: () => void }) {
  const test = useSendTestDelivery();
  const remove = useDeleteWebhook();
  const { message } = App.useApp();
  return (
    <Space size={0} wrap>
      <Button
        type="link"
        size="small"
        onClick={() =>
          test.mutate(hook.id, {
            onSuccess: () => (void message.success('已发送测试投递'), onShow()),
            onError: (e) => void message.error(errorText(e)),
          })
        }
      >
        测试投递
      </Button>
      <Button type="link" size="small" onClick={() => onShow()}>
        投递记录
      </Button>
      <Popconfirm
        title="取消这个订阅？"
        description="投递记录将一并删除。"
        okText="取消订阅"
        cancelText="保留"
        onConfirm={() =>
          remove.mutate(hook.id, {
            onSuccess: () => (void message.success('已取消订阅'), onRemoved()),
            onError: (e) => void message.error(errorText(e)),
          })
        }
      >
        <Button type="link" size="small">
          取消订阅
        </Button>
      </Popconfirm>
    </Space>
  );
}

function Deliveries({ webhook }: { webhook: Webhook }) {
  const [page, setPage] = useState(1);
  const deliveries = useDeliveries(webhook.id, page, PAGE_SIZE);
  const columns: TableProps<Delivery>['columns'] = [
    { title: '事件', dataIndex: 'event', render: eventLabel },
    { title: '状态', key: 'state', render: (_, d) => deliveryState(d) },
    { title: 'HTTP 状态码', dataIndex: 'lastStatus', render: (s: number | null) => s ?? '—' },
    { title: '尝试次数', dataIndex: 'attempts' },
    { title: '最后错误', dataIndex: 'lastError', responsive: ['md'], render: (e: string | null) => e ?? '—' },
    { title: '创建时间', dataIndex: 'createdAt', responsive: ['sm'], render: (at: string) => formatMoment(at) },
    { title: '送达时间', dataIndex: 'deliveredAt', responsive: ['lg'], render: (at: string | null) => formatMoment(at) },
  ];
  return (
    <Card size="small" title={<span style={{ overflowWrap: 'anywhere', whiteSpace: 'normal' }}>投递记录：{webhook.url}</span>}>
      {deliveries.isError && <Alert type="error" showIcon title={errorText(deliveries.error)} />}
      <Table<Delivery>
        aria-label="投递记录"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={deliveries.data?.items ?? []}
        loading={deliveries.isPending}
        locale={{ emptyText: '暂无投递' }}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: deliveries.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
      />
    </Card>
  );
}

function WebhookForm({ departments, onClose }: { departments: { id: string; name: string }[]; onClose: () => void }) {
  const create = useCreateWebhook();
  const { message } = App.useApp();
  const [form] = Form.useForm<WebhookValues>();
  return (
    <Modal
      open
      title="新建订阅"
      okText="保存"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <Form<WebhookValues>
        form={form}
        layout="vertical"
        initialValues={{ events: ['*'] }}
        onFinish={(values) => create.mutate(values, { onSuccess: () => (void message.success('已新建订阅'), onClose()) })}
      >
        <Form.Item label="推送地址" name="url" rules={[{ required: true, type: 'url', message: '请输入 http(s) 地址' }]}>
          <Input placeholder="https://oa.example.gov.cn/duban-hook" autoComplete="off" />
        </Form.Item>
        <Form.Item
          label="签名密钥"
          name="secret"
          extra="用于计算 X-Duban-Signature，保存后不再显示"
          rules={[{ required: true, min: 16, message: '密钥至少 16 位' }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item label="事件" name="events" rules={[{ required: true, message: '请选择事件' }]}>
          <Select mode="multiple" options={(Object.entries(EVENT_LABELS) as [EventName, string][]).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item label="仅限单位" name="departmentId" extra="不选则推送全部单位的任务事件">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="全部单位"
            options={departments.map((d) => ({ value: d.id, label: d.name }))}
          />
        </Form.Item>
      </Form>
      {create.isError && <Alert type="error" showIcon role="alert" title={errorText(create.error)} />}
    </Modal>
  );
}
