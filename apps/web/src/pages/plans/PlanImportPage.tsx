import { Alert, App, Breadcrumb, Button, Descriptions, Flex, Form, Input, InputNumber, Result, Select, Space, Spin, Steps, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { errorText } from '../../api/problem';
import { TAG_STYLES } from '../../components/format';
import { useNames } from '../../hooks/names';
import { anyDifference, changedPlanOf, type PlanPreview, type PlanText, useImportPlan, usePlanPreview } from '../../hooks/plans';
import { useWorkflows } from '../../hooks/workflows';
import { PlanDifferencesView } from './PlanDifferencesView';
import { PlanPreviewItems } from './PlanPreviewItems';
import { UnresolvedNames } from './UnresolvedNames';

/** The workflow plan items run in unless the admin chooses another. */
const DEFAULT_WORKFLOW = 'plan-item';

interface Pasted {
  text: string;
  year?: number | null;
  workflow: string;
}

/**
 * `/admin/plans/import`: paste a plan (粘贴文本), check what the api reads from it and name the
 * departments of the units it does not know (预览与核对), import it (导入); the plan's page then opens.
 */
export default function PlanImportPage() {
  const [step, setStep] = useState(0);
  const [pasted, setPasted] = useState<Pasted>({ text: '', workflow: DEFAULT_WORKFLOW });
  const input: PlanText | null = step === 0 ? null : { text: pasted.text, ...(pasted.year ? { year: pasted.year } : {}) };
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Breadcrumb items={[{ title: <Link to="/admin">系统管理</Link> }, { title: '工作要点导入' }]} />
      <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
        工作要点导入
      </Typography.Title>
      <Steps current={step} items={[{ title: '粘贴文本' }, { title: '预览与核对' }, { title: '导入' }]} />
      {step === 0 ? (
        <PasteStep
          initial={pasted}
          onPreview={(values) => {
            setPasted(values);
            setStep(1);
          }}
        />
      ) : (
        <PreviewStep input={input!} workflow={pasted.workflow} importing={step === 2} onStep={setStep} />
      )}
    </Space>
  );
}

function PasteStep({ initial, onPreview }: { initial: Pasted; onPreview: (values: Pasted) => void }) {
  const workflows = useWorkflows();
  const options = (workflows.data?.items ?? []).map((w) => ({ value: w.key, label: w.name }));
  return (
    <Form<Pasted> layout="vertical" initialValues={initial} onFinish={onPreview} style={{ maxWidth: 960 }}>
      <Form.Item
        name="text"
        label="工作要点全文"
        rules={[{ required: true, whitespace: true, message: '请粘贴工作要点全文' }]}
        extra="从标题起整篇粘贴，包括各事项后括号中的牵头单位。"
      >
        <Input.TextArea rows={14} />
      </Form.Item>
      <Flex wrap gap={16}>
        <Form.Item name="year" label="年度" extra="不填则从标题读取">
          <InputNumber min={2000} max={2100} precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="workflow" label="办理流程" rules={[{ required: true, message: '请选择办理流程' }]}>
          <Select options={options} loading={workflows.isPending} style={{ width: 240, maxWidth: '100%' }} />
        </Form.Item>
      </Flex>
      {workflows.isError && <Alert type="error" showIcon title={errorText(workflows.error)} style={{ marginBottom: 16 }} />}
      <Button type="primary" htmlType="submit">
        下一步：预览
      </Button>
    </Form>
  );
}

function PreviewStep({ input, workflow, importing, onStep }: { input: PlanText; workflow: string; importing: boolean; onStep: (step: number) => void }) {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const preview = usePlanPreview(input);
  const importPlan = useImportPlan();
  if (preview.isPending) return <Spin style={{ display: 'block', margin: 48 }} />;
  if (preview.isError)
    return (
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Alert type="error" showIcon title="无法预览" description={errorText(preview.error)} />
        <Button onClick={() => onStep(0)}>上一步</Button>
      </Space>
    );
  const refused = importPlan.isError && importPlan.submittedAt >= preview.dataUpdatedAt ? importPlan.error : null;
  // Imported meanwhile by someone else and changed: the api's 409 lists the differences.
  const changedMeanwhile = changedPlanOf(refused);
  // A plan imported before with differences is revised (确认修订), as the preview or the 409 showed them.
  const revise = (preview.data.differences !== null && anyDifference(preview.data.differences)) || changedMeanwhile !== null;
  const onImport = (plan: PlanPreview) => {
    onStep(2);
    importPlan.mutate(
      { text: input.text, year: plan.year, workflow, ...(revise ? { revise: true } : {}) },
      {
        onSuccess: ({ planId, tasksCreated, revised }) => {
          void message.success(
            revised
              ? `已修订：新增 ${revised.added} 项、撤销 ${revised.removed} 项、修改 ${revised.changed} 项，创建 ${tasksCreated} 个任务`
              : tasksCreated > 0
                ? `已导入，创建 ${tasksCreated} 个任务`
                : '该计划此前已导入，未重复创建任务',
          );
          void navigate(`/plans/${planId}`);
        },
        onError: () => onStep(1),
      },
    );
  };
  if (importing) return <Result icon={<Spin />} title={revise ? '正在修订…' : '正在导入…'} subTitle={preview.data.title} />;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Summary plan={preview.data} workflow={workflow} />
      {preview.data.warnings.length > 0 && <Alert type="warning" showIcon title="提示" description={preview.data.warnings.join('；')} />}
      <UnresolvedNames preview={preview.data} />
      {preview.data.differences && <PlanDifferencesView differences={preview.data.differences} title="与已导入计划的差异" />}
      <PlanPreviewItems items={preview.data.items} />
      {/* A refusal stands until the preview reads again (after an alias is saved, say). */}
      {refused && <Alert type="error" showIcon title={changedMeanwhile ? '计划已变化' : '未能导入'} description={errorText(refused)} />}
      {changedMeanwhile && <PlanDifferencesView differences={changedMeanwhile} title="导入时发现的差异" />}
      <Flex wrap gap={8}>
        <Button onClick={() => onStep(0)}>上一步</Button>
        <Button type="primary" loading={preview.isFetching} onClick={() => onImport(preview.data)}>
          {revise ? '确认修订' : '导入'}
        </Button>
      </Flex>
    </Space>
  );
}

function Summary({ plan, workflow }: { plan: PlanPreview; workflow: string }) {
  const names = useNames();
  return (
    <Descriptions
      size="small"
      bordered
      column={{ xs: 1, md: 2 }}
      items={[
        { key: 'title', label: '标题', children: plan.title },
        { key: 'year', label: '年度', children: `${plan.year}年` },
        { key: 'workflow', label: '办理流程', children: names.workflow({ workflow }) },
        { key: 'items', label: '事项', children: `${plan.items.length} 项，其中 ${plan.items.filter((i) => i.fanOut.length > 0).length} 项分解到县区` },
        {
          key: 'unresolved',
          label: '未识别单位',
          children: plan.unresolved.length === 0 ? '无' : <span style={{ color: TAG_STYLES.red.color }}>{plan.unresolved.join('、')}</span>,
        },
      ]}
    />
  );
}
