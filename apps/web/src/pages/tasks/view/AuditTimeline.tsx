import { PaperClipOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Tag, Timeline, Typography } from 'antd';
import { errorText } from '../../../api/problem';
import type { AuditEntry, Task } from '../../../api/types';
import { formatMoment, RATINGS, TAG_STYLES } from '../../../components/format';
import { downloadAttachment, useAuditVerification, useTaskAudit } from '../../../hooks/tasks';

/** What an entry recorded, in words: progress, due dates, rating, card, reply letter, comment (its files: entryFiles). */
function details(entry: AuditEntry, timezone: string | undefined): string[] {
  const d = entry.data;
  const out: string[] = [];
  if (typeof d.progress === 'number') out.push(`进度 ${d.progress}%`);
  // Creation records the due date; an extension records it moved ({from, to}); a request the date asked for.
  if (typeof d.dueAt === 'string') out.push(`期限 ${formatMoment(d.dueAt, timezone)}`);
  const moved = d.dueAt as { from?: string | null; to?: string } | undefined;
  if (moved && typeof moved === 'object' && typeof moved.to === 'string') {
    out.push(`期限 ${moved.from ? `${formatMoment(moved.from, timezone)} → ` : ''}${formatMoment(moved.to, timezone)}`);
  }
  if (typeof d.requestedDueAt === 'string') out.push(`申请延期至 ${formatMoment(d.requestedDueAt, timezone)}`);
  if (typeof d.rating === 'string') out.push(`评价：${RATINGS.find((r) => r.value === d.rating)?.label ?? d.rating}`);
  if (d.card === 'yellow' || d.card === 'red') out.push(d.card === 'yellow' ? '黄牌' : '红牌');
  const contact = d.contact as { name?: string; phone?: string } | undefined;
  if (contact?.name) out.push(`联系人：${contact.name}${contact.phone ? `（${contact.phone}）` : ''}`);
  if (Array.isArray(d.cc) && d.cc.length > 0) out.push(`抄送：${d.cc.join('、')}`);
  if (typeof d.comment === 'string' && d.comment) out.push(`意见：${d.comment}`);
  return out;
}

interface EntryFile {
  id: string;
  name: string;
}

/** The files of the trail by id, from the entries that uploaded them (`attach`: data.files, each with its id and name). */
function uploadedFiles(entries: AuditEntry[]): Map<string, EntryFile> {
  const files = new Map<string, EntryFile>();
  for (const e of entries) {
    if (!Array.isArray(e.data.files)) continue;
    for (const f of e.data.files as { id?: unknown; filename?: unknown }[]) {
      if (typeof f.id === 'string' && typeof f.filename === 'string') files.set(f.id, { id: f.id, name: f.filename });
    }
  }
  return files;
}

/** The files an entry added: an upload's own, or those an action carried (data.attachmentIds), by name. */
function entryFiles(entry: AuditEntry, uploaded: Map<string, EntryFile>): EntryFile[] {
  const ids = Array.isArray(entry.data.attachmentIds) ? (entry.data.attachmentIds as unknown[]) : [];
  if (ids.length > 0) return ids.flatMap((id) => (typeof id === 'string' ? [uploaded.get(id) ?? { id, name: '附件' }] : []));
  if (!Array.isArray(entry.data.files)) return [];
  return (entry.data.files as { id?: unknown }[]).flatMap((f) => (typeof f.id === 'string' && uploaded.has(f.id) ? [uploaded.get(f.id)!] : []));
}

/** A file of the timeline, downloaded with the bearer token when clicked. */
function FileLink({ file }: { file: EntryFile }) {
  const { message } = App.useApp();
  return (
    <Button
      type="link"
      size="small"
      icon={<PaperClipOutlined />}
      style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left', overflowWrap: 'anywhere' }}
      onClick={() => void downloadAttachment(file).catch((err: unknown) => void message.error(errorText(err)))}
    >
      {file.name}
    </Button>
  );
}

/** Who acted: the name and department, or 系统 for the system's own entries (timers, creation by import). */
function actor(entry: AuditEntry): string {
  if (entry.actorName) return entry.actorDepartmentName ? `${entry.actorName}（${entry.actorDepartmentName}）` : entry.actorName;
  return entry.actorId ? '用户' : '系统';
}

/** The audit trail in order (time, who, what, from → to, what they wrote) and the chain's verdict. */
export function AuditTimeline({ task }: { task: Task }) {
  const audit = useTaskAudit(task.id);
  const verify = useAuditVerification(task.id);
  const uploaded = uploadedFiles(audit.data ?? []);
  const items = (audit.data ?? []).map((e) => {
    const from = e.fromStateLabel;
    const to = e.toStateLabel;
    const move = from && to && from !== to ? `${from} → ${to}` : (to ?? '');
    return {
      key: e.seq,
      children: (
        <div>
          <Typography.Text type="secondary">{formatMoment(e.at, task.timezone)}</Typography.Text>
          <div>
            <Typography.Text strong>{e.actionLabel}</Typography.Text>
            <span> · {actor(e)}</span>
            {move && <span> · {move}</span>}
          </div>
          {details(e, task.timezone).map((line) => (
            <div key={line} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {line}
            </div>
          ))}
          {entryFiles(e, uploaded).map((file) => (
            <div key={file.id} data-testid="timeline-file">
              <FileLink file={file} />
            </div>
          ))}
        </div>
      ),
    };
  });
  return (
    <Card title="办理过程" size="small" extra={<Verdict verify={verify} />}>
      {audit.isError && <Alert type="error" showIcon title={errorText(audit.error)} />}
      <Timeline items={items} />
    </Card>
  );
}

function Verdict({ verify }: { verify: ReturnType<typeof useAuditVerification> }) {
  if (!verify.data) return verify.isError ? <Tag color="default">无法校验</Tag> : null;
  if (verify.data.valid) return <Tag style={TAG_STYLES.green}>链路完整{verify.data.entries ? `（${verify.data.entries} 条）` : ''}</Tag>;
  const file = verify.data.attachments?.length ? '，附件与记录不符' : '';
  return <Tag style={TAG_STYLES.red}>{`链路在第 ${verify.data.brokenAt ?? '?'} 条断开${file}`}</Tag>;
}
