import type { Diagnostic } from '@codemirror/lint';
import { Alert, Breadcrumb, Button, Card, Col, List, Result, Row, Space, Spin, Table, type TableProps, Tag, Typography } from 'antd';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, errorText } from '../../api/problem';
import { formatMoment, TAG_STYLES } from '../../components/format';
import {
  type DefinitionError,
  usePublishWorkflow,
  useDefinitionCheck,
  useWorkflow,
  useWorkflowHistory,
  type WorkflowDefinition,
  type WorkflowVersionEntry,
} from '../../hooks/workflows';
import { DefinitionDiff } from './DefinitionDiff';
import { JsonEditor } from './JsonEditor';
import { canonicalText, definitionOf, readDraft, rangeOfPath, type TextProblem } from './workflow-text';

// React Flow and its stylesheet load with the diagram only.
const WorkflowDiagram = lazy(() => import('./WorkflowDiagram'));

const NO_ERRORS: DefinitionError[] = [];

/** How long typing pauses before the definition is sent to the api for checking. */
const CHECK_DELAY_MS = 400;

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** `/admin/workflows/:key`: a workflow drawn, its definition edited and checked as typed, the diff, publishing and the history. */
export default function WorkflowPage() {
  const { key = '' } = useParams();
  const workflow = useWorkflow(key);
  if (workflow.isPending) return <Spin style={{ display: 'block', margin: 48 }} />;
  if (workflow.isError) {
    const missing = workflow.error instanceof ApiError && workflow.error.status === 404;
    return missing ? <Result status="404" title="流程不存在" /> : <Alert type="error" showIcon title={errorText(workflow.error)} />;
  }
  return <WorkflowView key={key} published={workflow.data} />;
}

function WorkflowView({ published }: { published: WorkflowDefinition }) {
  const publishedText = useMemo(() => canonicalText(definitionOf(published)), [published]);
  // The editor starts from the version shown on opening; a publish does not reset what was typed.
  const [initial] = useState(publishedText);
  const [text, setText] = useState(initial);
  const draft = useMemo(() => readDraft(text), [text]);
  const settled = useDebounced(draft.ok ? JSON.stringify(draft.value) : null, CHECK_DELAY_MS);
  const check = useDefinitionCheck(settled);
  const apiErrors = (draft.ok && settled !== null ? check.data : undefined) ?? NO_ERRORS;
  // This page publishes versions of its own workflow only: a draft naming another key is not sent.
  const otherKey = draft.ok && draft.value.key !== published.key ? keyMismatch(draft.value.key, published) : null;
  const diagnostics = useMemo<Diagnostic[]>(
    () =>
      draft.ok
        ? [
            ...(otherKey ? [{ ...rangeOfPath(text, draft.tree, 'key'), severity: 'error' as const, message: otherKey, source: 'key' }] : []),
            ...apiErrors.map((e) => ({
              ...rangeOfPath(text, draft.tree, e.path),
              severity: 'error' as const,
              message: e.message,
              source: e.path || '（整个定义）',
            })),
          ]
        : draft.problems.map((p) => ({ ...p, severity: 'error', message: p.message })),
    [draft, apiErrors, text, otherKey],
  );
  const history = useWorkflowHistory(published.key);
  const latest = history.data?.items[0];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Breadcrumb items={[{ title: <Link to="/admin">系统管理</Link> }, { title: <Link to="/admin/workflows">流程配置</Link> }, { title: published.name }]} />
      <Space wrap align="center">
        <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
          {published.name}
        </Typography.Title>
        <Tag>已发布第 {published.version} 版</Tag>
      </Space>
      <Typography.Text type="secondary">
        {formatMoment(published.publishedAt)} 发布{latest?.version === published.version ? ` · ${publisherName(latest)}` : ''}
      </Typography.Text>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card size="small" title="流程图（编辑中的定义）">
            <Suspense fallback={<Spin style={{ display: 'block', margin: 48 }} />}>
              <WorkflowDiagram definition={draft.ok ? draft.value : published} />
            </Suspense>
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title="版本历史">
            <History entries={history.data?.items ?? []} loading={history.isPending} error={history.error} />
          </Card>
        </Col>
      </Row>
      <Card size="small" title="流程定义（JSON）">
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <JsonEditor initial={initial} onChange={setText} diagnostics={diagnostics} label="流程定义（JSON）" />
          {otherKey && <Alert type="error" showIcon title={otherKey} data-testid="key-mismatch" />}
          <CheckResult
            syntax={draft.ok ? [] : draft.problems}
            text={text}
            errors={apiErrors}
            checking={check.isFetching || (draft.ok && settled === null)}
            failed={check.error}
            held={otherKey !== null}
          />
        </Space>
      </Card>
      <Card size="small" title="与已发布版本的差异">
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <DefinitionDiff published={publishedText} draft={draft.ok ? canonicalText(draft.value) : publishedText} version={published.version} />
          <Publish definition={draft.ok && !otherKey ? draft.value : null} refusal={otherKey ? '流程标识与本页流程不符，不能发布（见上方流程定义）。' : null} />
        </Space>
      </Card>
    </Space>
  );
}

/** Why a draft whose key is not the page's workflow's is not published here. */
function keyMismatch(key: unknown, published: WorkflowDefinition): string {
  const what = typeof key === 'string' && key !== '' ? `流程标识 key “${key}”与本页流程不符` : '缺少流程标识 key';
  return `${what}：本页只能发布“${published.name}”（${published.key}）的新版本，请将 key 设为“${published.key}”。`;
}

const publisherName = (entry: WorkflowVersionEntry) => entry.publishedByName ?? '系统预置';

/** Line and column (from 1) of an offset, for a syntax error in the list. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `第 ${before.length} 行第 ${before[before.length - 1]!.length + 1} 列`;
}

/** The check's outcome; `held`: the page will not publish the draft (its key), so a clean check does not say it may be. */
function CheckResult(props: { syntax: TextProblem[]; text: string; errors: DefinitionError[]; checking: boolean; failed: Error | null; held: boolean }) {
  const { syntax, text, errors, checking, failed, held } = props;
  if (syntax.length > 0) {
    return (
      <List
        data-testid="definition-errors"
        size="small"
        bordered
        header={
          <Typography.Text strong style={{ color: TAG_STYLES.red.color }}>
            JSON 格式有误，修正后再校验流程定义
          </Typography.Text>
        }
        dataSource={syntax}
        renderItem={(p) => (
          <List.Item>
            <Typography.Text code>{lineColumn(text, p.from)}</Typography.Text> {p.message}
          </List.Item>
        )}
      />
    );
  }
  if (failed) return <Alert type="error" showIcon title={`校验失败：${errorText(failed)}`} />;
  if (errors.length === 0)
    return <Alert type={checking ? 'info' : 'success'} showIcon title={checking ? '校验中…' : held ? '校验通过。' : '校验通过，可以发布。'} />;
  return (
    <List
      data-testid="definition-errors"
      size="small"
      bordered
      header={
        <Typography.Text strong style={{ color: TAG_STYLES.red.color }}>{`发现 ${errors.length} 处错误${checking ? '（校验中…）' : ''}`}</Typography.Text>
      }
      dataSource={errors}
      renderItem={(e) => (
        <List.Item>
          <span>
            <Typography.Text code>{e.path || '（整个定义）'}</Typography.Text> {e.message}
          </span>
        </List.Item>
      )}
    />
  );
}

/** 发布新版本: the api decides (an invalid or unchanged definition is refused with its reason); `refusal` says why the page holds it back. */
function Publish({ definition, refusal }: { definition: Record<string, unknown> | null; refusal: string | null }) {
  const publish = usePublishWorkflow();
  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }}>
      <Button type="primary" disabled={!definition} loading={publish.isPending} onClick={() => definition && publish.mutate(definition)}>
        发布新版本
      </Button>
      {refusal && <Typography.Text type="danger">{refusal}</Typography.Text>}
      {publish.isSuccess && <Alert type="success" showIcon title={`已发布第 ${publish.data.version} 版。`} />}
      {publish.isError && <Alert type="error" showIcon title={`未发布：${errorText(publish.error)}`} />}
    </Space>
  );
}

function History({ entries, loading, error }: { entries: WorkflowVersionEntry[]; loading: boolean; error: Error | null }) {
  if (error) return <Alert type="error" showIcon title={errorText(error)} />;
  const columns: TableProps<WorkflowVersionEntry>['columns'] = [
    { title: '版本', key: 'version', width: 80, render: (_, v) => `第 ${v.version} 版` },
    { title: '发布时间', key: 'at', render: (_, v) => formatMoment(v.publishedAt) },
    { title: '发布人', key: 'by', render: (_, v) => publisherName(v) },
  ];
  return (
    <Table<WorkflowVersionEntry>
      data-testid="workflow-history"
      rowKey="version"
      size="small"
      columns={columns}
      dataSource={entries}
      loading={loading}
      pagination={{ pageSize: 8, hideOnSinglePage: true, size: 'small' }}
    />
  );
}
