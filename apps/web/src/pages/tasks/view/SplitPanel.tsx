import { Alert, App, Button, Card, DatePicker, Form, Input, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import { useState } from 'react';
import { errorText } from '../../../api/problem';
import type { Department, Task } from '../../../api/types';
import { useMe } from '../../../hooks/auth';
import { useDepartments } from '../../../hooks/org';
import { type Share, useSplitTask } from '../../../hooks/tasks';

dayjs.extend(utc);
dayjs.extend(timezone);

/** The departments below `ancestor`, at any depth, nearest first (the units a lead may split a task among). */
function unitsBelow(departments: readonly Department[], ancestor: string): Department[] {
  const out: Department[] = [];
  let level = [ancestor];
  while (level.length > 0) {
    const next = departments.filter((d) => d.parentId !== null && level.includes(d.parentId) && !out.includes(d));
    out.push(...next);
    level = next.map((d) => d.id);
  }
  return out;
}

interface SplitValues {
  units: string[];
  shares: Record<string, { title: string; dueAt?: Dayjs }>;
}

/**
 * 分解: a lead of the task (the view's canSplit) hands shares of it to units below its department,
 * each with its own title and due date (by default the parent's); the children then appear under it.
 * Nothing is shown when the api does not offer it or the department has no units below.
 */
export function SplitPanel({ task }: { task: Task }) {
  const me = useMe();
  const departments = useDepartments();
  const [open, setOpen] = useState(false);
  const own = me.data?.departmentId;
  if (!task.canSplit || !own) return null;
  const units = unitsBelow(departments.data?.items ?? [], own);
  if (units.length === 0) return null;
  return (
    <Card title="分解任务" size="small">
      {open ? (
        <SplitForm task={task} units={units} onDone={() => setOpen(false)} />
      ) : (
        <Space wrap>
          <Typography.Text type="secondary">将本任务分解给下级单位办理，子任务列在本任务之下。</Typography.Text>
          <Button onClick={() => setOpen(true)}>分解</Button>
        </Space>
      )}
    </Card>
  );
}

function SplitForm({ task, units, onDone }: { task: Task; units: Department[]; onDone: () => void }) {
  const [form] = Form.useForm<SplitValues>();
  const split = useSplitTask(task);
  const { message } = App.useApp();
  const chosen = Form.useWatch('units', form) ?? [];
  const [failures, setFailures] = useState<string[]>([]);
  const zone = task.timezone ?? 'Asia/Shanghai';
  const parentDue = task.dueAt ? dayjs(task.dueAt).tz(zone) : undefined;
  const submit = (values: SplitValues) => {
    const shares: Share[] = values.units.map((id) => {
      const share = values.shares[id]!;
      return {
        departmentId: id,
        departmentName: units.find((u) => u.id === id)?.name ?? '',
        title: share.title.trim(),
        // The picked wall-clock time is read in the task's calendar zone, whatever the browser's.
        dueAt: share.dueAt ? dayjs.tz(share.dueAt.format('YYYY-MM-DDTHH:mm:00'), zone).format() : undefined,
      };
    });
    split.mutate(shares, {
      onSuccess: (outcomes) => {
        const done = outcomes.filter((o) => o.error === null);
        const failed = outcomes.filter((o) => o.error !== null);
        if (done.length > 0) void message.success(`已分解 ${done.length} 项`);
        setFailures(failed.map((o) => `${o.share.departmentName}：${errorText(o.error)}`));
        if (failed.length === 0) onDone();
        // What was created is no longer offered; the refused shares stay as typed.
        else
          form.setFieldValue(
            'units',
            failed.map((o) => o.share.departmentId),
          );
      },
    });
  };
  return (
    <Form<SplitValues> form={form} layout="vertical" onFinish={submit} aria-label="分解任务" disabled={split.isPending} style={{ maxWidth: 640 }}>
      <Form.Item label="下级单位" name="units" rules={[{ required: true, type: 'array', min: 1, message: '请选择至少一个下级单位' }]}>
        <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={units.map((u) => ({ value: u.id, label: u.name }))} />
      </Form.Item>
      {chosen.map((id) => {
        const unit = units.find((u) => u.id === id);
        return unit && <ShareFields key={id} task={task} unit={unit} parentDue={parentDue} />;
      })}
      {failures.length > 0 && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title="以下单位未能分解"
          description={failures.map((f) => (
            <div key={f}>{f}</div>
          ))}
          style={{ marginBottom: 16 }}
        />
      )}
      <Space>
        <Button type="primary" htmlType="submit" loading={split.isPending}>
          确认分解
        </Button>
        <Button onClick={onDone} disabled={false}>
          取消
        </Button>
      </Space>
    </Form>
  );
}

/** One unit's share: its title (the task's, naming the unit) and due date (the task's), both editable. */
function ShareFields({ task, unit, parentDue }: { task: Task; unit: Department; parentDue: Dayjs | undefined }) {
  return (
    <Card size="small" type="inner" title={unit.name} style={{ marginBottom: 12 }} data-testid="split-share">
      <Form.Item
        label={`${unit.name} 子任务标题`}
        name={['shares', unit.id, 'title']}
        initialValue={`${task.title}（${unit.name}）`.slice(0, 500)}
        rules={[{ required: true, whitespace: true, message: '请填写子任务标题' }]}
      >
        <Input maxLength={500} />
      </Form.Item>
      <Form.Item
        label={`${unit.name} 办理期限`}
        name={['shares', unit.id, 'dueAt']}
        initialValue={parentDue}
        extra="默认与本任务期限相同，不得晚于本任务"
        style={{ marginBottom: 0 }}
      >
        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: 220, maxWidth: '100%' }} />
      </Form.Item>
    </Card>
  );
}
