import { Alert, Button, Card, Checkbox, Flex, Form, Input, List, Modal, Radio, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorText } from '../../api/problem';
import type { Task, TaskAction } from '../../api/types';
import { formatMoment } from '../../components/format';
import { CardTag, DueDate, Light, StateTag } from '../../components/TaskBadges';
import { useNames } from '../../hooks/names';
import { type QueueQuery, useQueue } from '../../hooks/supervision';
import { useBulkAction, useTask } from '../../hooks/tasks';
import { ActionForm } from '../tasks/view/ActionPanel';

type QueueKey = 'awaiting' | 'overdue' | 'yellow' | 'red' | 'escalated';

/** The supervisor's queues (UI.md 督办台), each one GET /tasks filter, most pressing first. */
const QUEUES: Record<QueueKey, { label: string; query: QueueQuery; empty: string }> = {
  awaiting: { label: '待我审批', query: { awaiting: 'me', sort: 'dueAt' }, empty: '没有等待您审批的延期申请或办结申请' },
  overdue: { label: '已逾期', query: { overdue: true, sort: 'dueAt' }, empty: '没有逾期任务' },
  yellow: { label: '黄牌', query: { card: 'yellow', open: true, sort: 'dueAt' }, empty: '没有亮黄牌的在办任务' },
  red: { label: '红牌', query: { card: 'red', open: true, sort: 'dueAt' }, empty: '没有亮红牌的在办任务' },
  escalated: { label: '收到的督办', query: { escalated: true, open: true, sort: 'urgency' }, empty: '没有已升级督办的在办任务' },
};

const KEYS = Object.keys(QUEUES) as QueueKey[];
const PAGE_SIZE = 10;

/** The queues, one shown at a time (the open one kept in the URL), each row with a button to decide or act on its task. */
export function Queues() {
  const [params, setParams] = useSearchParams();
  const active = KEYS.includes(params.get('queue') as QueueKey) ? (params.get('queue') as QueueKey) : 'awaiting';
  const [pages, setPages] = useState<Record<QueueKey, number>>({ awaiting: 1, overdue: 1, yellow: 1, red: 1, escalated: 1 });
  const [acting, setActing] = useState<Task | null>(null);
  // The ids chosen for a bulk 催办, of the open queue only; their rows are read from the queue as it is now.
  const [selectedIds, setSelectedIds] = useState<string[]>([]);
  const [urging, setUrging] = useState(false);
  // Every queue is read for its count on the tab; only the open tab's rows are shown.
  const queues = {
    awaiting: useQueue({ ...QUEUES.awaiting.query, page: pages.awaiting, limit: PAGE_SIZE }),
    overdue: useQueue({ ...QUEUES.overdue.query, page: pages.overdue, limit: PAGE_SIZE }),
    yellow: useQueue({ ...QUEUES.yellow.query, page: pages.yellow, limit: PAGE_SIZE }),
    red: useQueue({ ...QUEUES.red.query, page: pages.red, limit: PAGE_SIZE }),
    escalated: useQueue({ ...QUEUES.escalated.query, page: pages.escalated, limit: PAGE_SIZE }),
  };
  const q = queues[active];
  const rows = q.data?.items ?? [];
  // A chosen task that left the queue or may no longer be urged is no longer chosen.
  const selected = rows.filter((t) => selectedIds.includes(t.id) && t.allowedActions.includes('urge'));
  return (
    <Card size="small" title="督办队列">
      {/* Buttons that wrap on a phone rather than tabs that hide the rest behind a menu. */}
      <Radio.Group
        aria-label="督办队列"
        optionType="button"
        buttonStyle="solid"
        value={active}
        onChange={(e) => {
          setSelectedIds([]);
          setParams(e.target.value === 'awaiting' ? {} : { queue: e.target.value as string }, { replace: true });
        }}
        style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 8 }}
        options={KEYS.map((key) => ({
          value: key,
          label: (
            <span data-testid={`queue-tab-${key}`}>
              {QUEUES[key].label}
              {queues[key].data ? ` ${queues[key].data.total}` : ''}
            </span>
          ),
        }))}
      />
      <BulkBar tasks={rows} selected={selected} onSelect={(tasks) => setSelectedIds(tasks.map((t) => t.id))} onUrge={() => setUrging(true)} />
      <QueueList
        queue={active}
        selected={selected}
        onToggle={(task, on) => setSelectedIds((cur) => (on ? [...cur.filter((id) => id !== task.id), task.id] : cur.filter((id) => id !== task.id)))}
        tasks={rows}
        total={q.data?.total ?? 0}
        loading={q.isFetching}
        error={q.isError ? errorText(q.error) : null}
        page={pages[active]}
        onPage={(page) => {
          setSelectedIds([]);
          setPages((p) => ({ ...p, [active]: page }));
        }}
        onAct={setActing}
      />
      <Modal open={acting !== null} title={acting ? `办理：${acting.ref}` : ''} footer={null} onCancel={() => setActing(null)} destroyOnHidden width={600}>
        {acting && <QueueAction id={acting.id} onDone={() => setActing(null)} />}
      </Modal>
      <Modal open={urging} title={`催办所选任务（${selected.length} 项）`} footer={null} onCancel={() => setUrging(false)} destroyOnHidden width={600}>
        {urging && (
          <BulkUrge
            tasks={selected}
            onClose={(done) => {
              setUrging(false);
              // The urged rows are no longer chosen; the refused ones stay for another try.
              setSelectedIds((cur) => cur.filter((id) => !done.includes(id)));
            }}
          />
        )}
      </Modal>
    </Card>
  );
}

/** Urge any of the open queue's rows at once: those the api lets this user urge (催办 in allowedActions) may be chosen. */
function BulkBar({ tasks, selected, onSelect, onUrge }: { tasks: Task[]; selected: Task[]; onSelect: (tasks: Task[]) => void; onUrge: () => void }) {
  const urgeable = tasks.filter((t) => t.allowedActions.includes('urge'));
  if (urgeable.length === 0) return null;
  const all = urgeable.every((t) => selected.some((s) => s.id === t.id));
  return (
    <Flex wrap align="center" gap={8} style={{ margin: '8px 0' }}>
      <Checkbox checked={all} indeterminate={!all && selected.length > 0} onChange={(e) => onSelect(e.target.checked ? urgeable : [])}>
        全选本页
      </Checkbox>
      <Button type="primary" disabled={selected.length === 0} onClick={onUrge}>
        {selected.length > 0 ? `催办所选（${selected.length}）` : '催办所选'}
      </Button>
    </Flex>
  );
}

/**
 * One 催办 with one comment for each chosen task (its own POST); afterwards each task's outcome:
 * 已催办 N 项, and every refusal (urged a moment ago, closed meanwhile…) by task. An urge changes no
 * state, so it goes without a version: a timer, a card or another's urge since the rows were read
 * would otherwise make it a stale-version 409 (API.md: expectedVersion is optional).
 */
function BulkUrge({ tasks, onClose }: { tasks: Task[]; onClose: (done: string[]) => void }) {
  const bulk = useBulkAction();
  const outcomes = bulk.data;
  const done = (outcomes ?? []).filter((o) => o.error === null);
  const failed = (outcomes ?? []).filter((o) => o.error !== null);
  if (outcomes) {
    return (
      <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="bulk-result">
        {done.length > 0 && <Alert type="success" showIcon title={`已催办 ${done.length} 项`} />}
        {failed.length > 0 && (
          <Alert
            type="error"
            showIcon
            title={`${failed.length} 项未能催办`}
            description={failed.map((o) => (
              <div key={o.task.id} style={{ overflowWrap: 'anywhere' }}>
                {`${o.task.ref} ${o.task.title}：${errorText(o.error)}`}
              </div>
            ))}
          />
        )}
        <Button type="primary" onClick={() => onClose(done.map((o) => o.task.id))}>
          关闭
        </Button>
      </Space>
    );
  }
  return (
    <Form<{ comment: string }>
      layout="vertical"
      aria-label="批量催办"
      disabled={bulk.isPending}
      onFinish={({ comment }) => bulk.mutate({ action: 'urge', input: { comment }, tasks: tasks.map(({ id, ref, title }) => ({ id, ref, title })) })}
    >
      <List
        size="small"
        dataSource={tasks}
        style={{ marginBottom: 12 }}
        renderItem={(t) => (
          <List.Item key={t.id}>
            <Typography.Text style={{ overflowWrap: 'anywhere' }}>
              {t.ref} {t.title}
            </Typography.Text>
          </List.Item>
        )}
      />
      <Form.Item label="催办意见" name="comment" rules={[{ required: true, whitespace: true, message: '请填写催办意见' }]}>
        <Input.TextArea rows={3} maxLength={5000} showCount />
      </Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" loading={bulk.isPending}>
          确认催办
        </Button>
        <Button onClick={() => onClose([])} disabled={false}>
          取消
        </Button>
      </Space>
    </Form>
  );
}

interface QueueListProps {
  queue: QueueKey;
  selected: Task[];
  onToggle: (task: Task, on: boolean) => void;
  tasks: Task[];
  total: number;
  loading: boolean;
  error: string | null;
  page: number;
  onPage: (page: number) => void;
  onAct: (task: Task) => void;
}

function QueueList({ queue, selected, onToggle, tasks, total, loading, error, page, onPage, onAct }: QueueListProps) {
  const names = useNames();
  if (error) return <Alert type="error" showIcon title={error} />;
  return (
    <List<Task>
      loading={loading}
      dataSource={tasks}
      locale={{ emptyText: QUEUES[queue].empty }}
      pagination={total > PAGE_SIZE ? { current: page, pageSize: PAGE_SIZE, total, onChange: onPage, size: 'small', simple: true, align: 'center' } : false}
      renderItem={(t) => (
        <List.Item key={t.id} data-testid="queue-row" style={{ display: 'block' }}>
          <Flex wrap justify="space-between" align="center" gap={8}>
            <Space orientation="vertical" size={2} style={{ minWidth: 0, flex: '1 1 260px' }}>
              <Space size={8} wrap>
                {t.allowedActions.includes('urge') && (
                  <Checkbox aria-label={`选择 ${t.ref}`} checked={selected.some((s) => s.id === t.id)} onChange={(e) => onToggle(t, e.target.checked)} />
                )}
                <Light light={t.light} />
                <Typography.Text type="secondary">{t.ref}</Typography.Text>
                <StateTag task={t} />
                <CardTag card={t.card} />
              </Space>
              <Link to={`/tasks/${t.id}`} style={{ fontWeight: 500 }}>
                {t.title}
              </Link>
              <Typography.Text type="secondary">{names.department(t.owners.find((o) => o.role === 'lead') ?? t.owners[0]!)}</Typography.Text>
              <DueDate task={t} />
              {t.requestedDueAt && (
                <Typography.Text strong data-testid="requested-due">
                  申请延期至 {formatMoment(t.requestedDueAt, t.timezone)}
                </Typography.Text>
              )}
            </Space>
            {t.allowedActions.length > 0 && (
              <Button
                type={queue === 'awaiting' ? 'primary' : 'default'}
                onClick={() => onAct(t)}
                aria-label={`${queue === 'awaiting' ? '审批' : '办理'} ${t.ref}`}
              >
                {queue === 'awaiting' ? '审批' : '办理'}
              </Button>
            )}
          </Flex>
        </List.Item>
      )}
    />
  );
}

/**
 * A queue row's actions, from the task as it is now (GET /tasks/:id: its actions and version),
 * and the form of the one chosen; done or cancelled, the dialog closes and the queues re-read.
 */
function QueueAction({ id, onDone }: { id: string; onDone: () => void }) {
  const task = useTask(id);
  const t = task.data;
  const [open, setOpen] = useState<TaskAction | null>(null);
  if (task.isError) return <Alert type="error" showIcon title={errorText(task.error)} />;
  if (!t) return <Spin style={{ display: 'block', margin: 24 }} />;
  const actions = t.actions;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Text strong>{t.title}</Typography.Text>
      {t.requestedDueAt && <Typography.Text>申请延期至 {formatMoment(t.requestedDueAt, t.timezone)}</Typography.Text>}
      {actions.length === 0 ? (
        <Typography.Text type="secondary">该任务当前没有您可以执行的操作。</Typography.Text>
      ) : (
        <Space wrap>
          {actions.map((a) => (
            <Button key={a.action} type={open?.action === a.action ? 'primary' : 'default'} onClick={() => setOpen(a)}>
              {a.label}
            </Button>
          ))}
        </Space>
      )}
      {open && <ActionForm key={open.action} task={t} action={open} onDone={onDone} />}
    </Space>
  );
}
