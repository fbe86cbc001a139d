import { Alert, App, Button, Card, DatePicker, Form, Input, InputNumber, Radio, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import { useState } from 'react';
import { errorText } from '../../../api/problem';
import type { Task, TaskAction } from '../../../api/types';
import { CARDS, RATINGS } from '../../../components/format';
import { useMe } from '../../../hooks/auth';
import { useDepartmentUsers } from '../../../hooks/org';
import { type ActionInput, useTaskAction } from '../../../hooks/tasks';
import { AttachmentField, CcField, ContactFields } from './ReplyFields';

dayjs.extend(utc);
dayjs.extend(timezone);

interface FormValues {
  comment?: string;
  progress?: number;
  dueAt?: Dayjs;
  rating?: ActionInput['rating'];
  assigneeId?: string;
  card?: ActionInput['card'];
  contact?: ActionInput['contact'];
  cc?: string[];
  attachmentIds?: string[];
}

/** The action buttons (exactly the actions the api allows now, by label) and the open action's form. */
export function ActionPanel({ task, actions }: { task: Task; actions: TaskAction[] }) {
  const [open, setOpen] = useState<TaskAction | null>(null);
  if (actions.length === 0 && !open) return null;
  return (
    <Card title="办理" size="small">
      <Space wrap>
        {actions.map((a) => (
          <Button key={a.action} type={open?.action === a.action ? 'primary' : 'default'} onClick={() => setOpen(a)}>
            {a.label}
          </Button>
        ))}
      </Space>
      {open && <ActionForm key={open.action} task={task} action={open} onDone={() => setOpen(null)} />}
    </Card>
  );
}

/**
 * A form with exactly the inputs the action requires. An error (409, 400) is shown beside it in
 * Chinese and what the user typed stays; after success the form closes and the page re-reads.
 */
export function ActionForm({ task, action, onDone }: { task: Task; action: TaskAction; onDone: () => void }) {
  const act = useTaskAction(task);
  // While a file is on its way the action waits: sent now, it would go without it.
  const [uploading, setUploading] = useState(false);
  const { message } = App.useApp();
  const needs = new Set(action.requires);
  const submit = (values: FormValues) => {
    const input: ActionInput = {
      comment: values.comment,
      progress: values.progress,
      rating: values.rating,
      assigneeId: values.assigneeId,
      card: values.card,
      contact: values.contact,
      cc: values.cc,
      attachmentIds: values.attachmentIds,
      // The picked wall-clock time is read in the task's calendar zone, whatever the browser's.
      dueAt: values.dueAt ? dayjs.tz(values.dueAt.format('YYYY-MM-DDTHH:mm:00'), task.timezone ?? 'Asia/Shanghai').format() : undefined,
    };
    act.mutate({ action: action.action, input }, { onSuccess: () => (void message.success(`${action.label}成功`), onDone()) });
  };
  return (
    <Form<FormValues> layout="vertical" onFinish={submit} style={{ marginTop: 16, maxWidth: 560 }} aria-label={action.label} disabled={act.isPending}>
      {needs.has('progress') && (
        <Form.Item label="进度（%）" name="progress" rules={[{ required: true, message: '请填写进度（0–100）' }]}>
          <InputNumber min={0} max={100} precision={0} style={{ width: 160 }} />
        </Form.Item>
      )}
      {needs.has('dueAt') && (
        <Form.Item label="新的办理期限" name="dueAt" rules={[{ required: true, message: '请选择新的办理期限' }]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: 220 }} />
        </Form.Item>
      )}
      {needs.has('rating') && (
        <Form.Item label="评价" name="rating" rules={[{ required: true, message: '请选择评价' }]}>
          <Radio.Group options={RATINGS.map((r) => ({ value: r.value, label: r.label }))} />
        </Form.Item>
      )}
      {needs.has('assignee') && <AssigneeField task={task} />}
      {needs.has('card') && (
        <Form.Item
          label="牌"
          name="card"
          rules={[{ required: true, message: '请选择黄牌或红牌' }]}
          extra={task.card ? `任务当前已亮${CARDS[task.card].word}` : undefined}
        >
          <Radio.Group options={(['yellow', 'red'] as const).map((c) => ({ value: c, label: CARDS[c].word }))} />
        </Form.Item>
      )}
      {needs.has('contact') && <ContactFields />}
      {needs.has('cc') && <CcField />}
      {needs.has('comment') && (
        <Form.Item label="办理意见" name="comment" rules={[{ required: true, whitespace: true, message: '请填写办理意见' }]}>
          <Input.TextArea rows={3} maxLength={5000} showCount />
        </Form.Item>
      )}
      <AttachmentField task={task} required={needs.has('attachment')} onBusy={setUploading} />
      {act.isError && <Alert type="error" showIcon role="alert" title={errorText(act.error)} style={{ marginBottom: 16 }} />}
      <Space>
        <Button type="primary" htmlType="submit" loading={act.isPending} disabled={uploading}>
          确认{action.label}
        </Button>
        <Button onClick={onDone} disabled={false}>
          取消
        </Button>
      </Space>
    </Form>
  );
}

/** The assignee, chosen by name among the users of the user's department (or the task's lead department). */
function AssigneeField({ task }: { task: Task }) {
  const me = useMe();
  const departmentId = me.data?.departmentId ?? task.owners.find((o) => o.role === 'lead')?.departmentId;
  const users = useDepartmentUsers(departmentId ?? undefined);
  return (
    <Form.Item label="经办人" name="assigneeId" rules={[{ required: true, message: '请选择经办人' }]}>
      <Select
        showSearch={{ optionFilterProp: 'label' }}
        loading={users.isPending}
        options={(users.data?.items ?? []).map((u) => ({ value: u.id, label: u.displayName }))}
        style={{ width: 240 }}
      />
    </Form.Item>
  );
}
