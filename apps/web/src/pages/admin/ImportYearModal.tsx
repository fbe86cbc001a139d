import { UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, InputNumber, Modal, Space, Table, type TableProps, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { errorText } from '../../api/problem';
import { TAG_STYLES } from '../../components/format';
import { type HolidayFile, useLoadYear, useYearLoadPreview, type YearLoadResult } from '../../hooks/calendars';

/** One row of the preview: a day the load adds, changes, removes, or leaves to a later year's schedule. */
interface Change {
  date: string;
  what: '新增' | '变更' | '移除' | '保留';
  kind: 'holiday' | 'workday';
  note: string | null;
  before?: { kind: 'holiday' | 'workday'; note: string | null };
  /** 保留: the later year whose schedule set the day. */
  governingYear?: number;
}

const KIND_WORDS = { holiday: '放假', workday: '调休上班' } as const;
const WHAT_STYLES = { 新增: TAG_STYLES.green, 变更: TAG_STYLES.yellow, 移除: TAG_STYLES.red, 保留: undefined } as const;

const dateWords = (date: string) => {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};
const dayWords = (kind: 'holiday' | 'workday', note: string | null) => `${KIND_WORDS[kind]}${note ? `（${note}）` : ''}`;

function changesOf(r: YearLoadResult): Change[] {
  return [
    ...r.added.map((d) => ({ ...d, what: '新增' as const })),
    ...r.changed.map((d) => ({ ...d, what: '变更' as const })),
    ...r.removed.map((d) => ({ ...d, what: '移除' as const })),
    ...r.kept.map((d) => ({ ...d, what: '保留' as const })),
  ].sort((a, b) => a.date.localeCompare(b.date));
}

/** A holiday file as the api takes it: JSON (a list of days, or holiday-cn) by its name or first character, else iCalendar. */
function readHolidayFile(name: string, text: string): HolidayFile {
  if (/\.json$/i.test(name) || /^\s*[[{]/.test(text)) {
    try {
      return { type: 'json', body: JSON.parse(text) as Extract<HolidayFile, { type: 'json' }>['body'] };
    } catch {
      throw new Error('文件不是有效的 JSON');
    }
  }
  return { type: 'ics', text };
}

/** The chosen file (numbered, so that choosing a file again asks again) and the api's dry run of loading it into `year`. */
function useYearPreview(calendarKey: string, year: number | null) {
  const [file, setFile] = useState<{ id: number; name: string; content: HolidayFile } | null>(null);
  const [unreadable, setUnreadable] = useState<string | null>(null);
  const preview = useYearLoadPreview(calendarKey, year, file);
  const choose = async (chosen: File) => {
    const text = await chosen.text();
    try {
      setFile((cur) => ({ id: (cur?.id ?? 0) + 1, name: chosen.name, content: readHolidayFile(chosen.name, text) }));
      setUnreadable(null);
    } catch (err) {
      setFile(null);
      setUnreadable(err instanceof Error ? err.message : String(err));
    }
  };
  return {
    file,
    // Only an answer for the year chosen now may be saved.
    preview: preview.data?.year === year ? preview.data : undefined,
    previewing: preview.isFetching,
    error: unreadable ?? (preview.isError ? errorText(preview.error) : null),
    choose,
  };
}

/**
 * 导入节假日安排: the year and a file (.ics, or the JSON the api takes); the api's dry run shows
 * what the load changes, and 保存 loads it. Mounted while open; closes with the year saved, or nothing when cancelled.
 */
export function ImportYearModal({ calendarKey, defaultYear, onClose }: { calendarKey: string; defaultYear: number; onClose: (saved?: number) => void }) {
  const { message } = App.useApp();
  const [year, setYear] = useState<number | null>(defaultYear);
  const save = useLoadYear(calendarKey);
  const { file, preview, error, previewing, choose } = useYearPreview(calendarKey, year);
  const submit = () => {
    if (!preview || !file || previewing) return;
    save.mutate(
      { year: preview.year, file: file.content },
      {
        onSuccess: (r) => {
          void message.success(`已导入${r.year}年节假日安排，共 ${r.days} 天`);
          onClose(r.year);
        },
      },
    );
  };

  return (
    <Modal
      title="导入节假日安排"
      open
      width={720}
      onCancel={() => onClose()}
      footer={[
        <Button key="cancel" onClick={() => onClose()}>
          取消
        </Button>,
        <Button key="save" type="primary" disabled={!preview || previewing} loading={save.isPending} onClick={submit}>
          保存
        </Button>,
      ]}
    >
      <Form layout="vertical">
        <Form.Item label="年度" htmlFor="import-year">
          <InputNumber
            id="import-year"
            min={1900}
            max={2200}
            value={year}
            onChange={(y) => {
              save.reset();
              setYear(y);
            }}
          />
        </Form.Item>
        <Form.Item label="节假日文件" extra=".ics 日历文件，或 JSON（日期列表 [{date, kind, note}] 或 holiday-cn 格式）">
          <Upload
            accept=".ics,.json,text/calendar,application/json"
            maxCount={1}
            showUploadList={false}
            beforeUpload={(f) => {
              save.reset();
              void choose(f);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />}>选择文件</Button>
          </Upload>
          {file && <Typography.Text style={{ marginInlineStart: 8 }}>{file.name}</Typography.Text>}
        </Form.Item>
      </Form>
      {(error ?? save.error) && <Alert type="error" showIcon title={error ?? errorText(save.error)} />}
      {previewing && <Typography.Text type="secondary">正在预览…</Typography.Text>}
      {preview && <Preview result={preview} />}
    </Modal>
  );
}

function changeWords(c: Change): string {
  if (c.what === '变更' && c.before) return `${dayWords(c.before.kind, c.before.note)} → ${dayWords(c.kind, c.note)}`;
  if (c.what === '保留') return `${dayWords(c.kind, c.note)}（由${c.governingYear}年安排设定，不变）`;
  return dayWords(c.kind, c.note);
}

const COLUMNS: TableProps<Change>['columns'] = [
  { title: '日期', key: 'date', width: 130, render: (_, c) => dateWords(c.date) },
  { title: '变化', key: 'what', width: 70, render: (_, c) => <Tag style={WHAT_STYLES[c.what]}>{c.what}</Tag> },
  { title: '安排', key: 'day', render: (_, c) => changeWords(c) },
];

/** What the load would change, as the api's dry run answered it: nothing is saved yet. */
function Preview({ result }: { result: YearLoadResult }) {
  const counts = `新增 ${result.added.length} 天，变更 ${result.changed.length} 天，移除 ${result.removed.length} 天，保留 ${result.kept.length} 天`;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Alert type="info" showIcon title={`预览：${result.year}年共 ${result.days} 天安排；${counts}。尚未保存。`} />
      <Table<Change>
        rowKey="date"
        size="small"
        columns={COLUMNS}
        dataSource={changesOf(result)}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '没有变化' }}
      />
    </Space>
  );
}
