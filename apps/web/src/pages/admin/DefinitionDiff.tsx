import { Typography } from 'antd';
import { diffLines } from 'diff';
import { useMemo } from 'react';
import { TAG_STYLES } from '../../components/format';

/** Unchanged lines kept on each side of a change; longer runs fold into “…”. */
const CONTEXT = 2;

interface Line {
  sign: '+' | '-' | ' ' | '…';
  text: string;
}

function diffRows(published: string, draft: string): Line[] {
  const rows: Line[] = [];
  const parts = diffLines(published, draft);
  parts.forEach((part, i) => {
    const lines = part.value.replace(/\n$/, '').split('\n');
    if (part.added || part.removed) {
      for (const text of lines) rows.push({ sign: part.added ? '+' : '-', text });
      return;
    }
    const head = i === 0 ? [] : lines.slice(0, CONTEXT);
    const tail = i === parts.length - 1 ? [] : lines.slice(-CONTEXT);
    if (head.length + tail.length >= lines.length) {
      for (const text of lines) rows.push({ sign: ' ', text });
      return;
    }
    for (const text of head) rows.push({ sign: ' ', text });
    rows.push({ sign: '…', text: '' });
    for (const text of tail) rows.push({ sign: ' ', text });
  });
  return rows;
}

const ROW_STYLES = {
  '+': { background: TAG_STYLES.green.background, color: TAG_STYLES.green.color },
  '-': { background: TAG_STYLES.red.background, color: TAG_STYLES.red.color },
  ' ': { color: '#1f1f1f' },
  '…': { color: '#595959' },
} as const;

/** The lines the draft changes against the published version, with a little context (both as canonical JSON). */
export function DefinitionDiff({ published, draft, version }: { published: string; draft: string; version: number }) {
  const rows = useMemo(() => (published === draft ? [] : diffRows(published, draft)), [published, draft]);
  if (rows.length === 0) return <Typography.Text type="secondary">与已发布的第 {version} 版相同，没有改动。</Typography.Text>;
  const added = rows.filter((r) => r.sign === '+').length;
  const removed = rows.filter((r) => r.sign === '-').length;
  return (
    <>
      <Typography.Paragraph style={{ marginBottom: 8 }}>
        相对已发布的第 {version} 版：增加 {added} 行，删除 {removed} 行。
      </Typography.Paragraph>
      <pre
        data-testid="definition-diff"
        aria-label={`与第 ${version} 版的差异`}
        tabIndex={0}
        style={{
          margin: 0,
          fontSize: 12,
          lineHeight: 1.6,
          border: '1px solid #d9d9d9',
          borderRadius: 6,
          padding: 8,
          overflowX: 'auto',
          whiteSpace: 'pre-wrap',
        }}
      >
        {rows.map((r, i) => (
          <div key={i} style={ROW_STYLES[r.sign]}>
            {r.sign === '…' ? '…' : `${r.sign} ${r.text}`}
          </div>
        ))}
      </pre>
    </>
  );
}
