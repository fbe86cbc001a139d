import { InboxOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  Result,
  Segmented,
  Select,
  Space,
  Spin,
  Steps,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { errorText } from '../../api/problem';
import { TAG_STYLES } from '../../components/format';
import { useNames } from '../../hooks/names';
import { anyDifference, changedPlanOf, MAX_PLAN_FILE_BYTES, type PlanInput, type PlanPreview, useImportPlan, usePlanPreview } from '../../hooks/plans';
import { useWorkflows } from '../../hooks/workflows';
import { PlanDifferencesView } from './PlanDifferencesView';
import { PlanPreviewItems } from './PlanPreviewItems';
import { UnresolvedNames } from './UnresolvedNames';

/** The workflow plan items run in unless the admin chooses another. */
const DEFAULT_WORKFLOW = 'plan-item';

/** The files the api reads plans from; the api decides by the content, this only narrows the picker. */
const PLAN_FILE_TYPES = '.xlsx,.docx,.txt';

interface Pasted {
  /** 粘贴文本 or 上传文件. */
  source: 'text' | 'file';
  text: string;
  file?: File;
  year?: number | null;
  workflow: string;
}

/**
 * `/admin/plans/import`: paste a plan or upload its file (粘贴文本 / 上传文件: .xlsx, .docx, .txt),
 * check what the api reads from it and name the departments of the units it does not know
 * (预览与核对), import it (导入); the plan's page then opens.
 */
export default function PlanImportPage() {
  const [step, setStep] = useState(0);
  const [pasted, setPasted] = useState<Pasted>({ source: 'text', text: '', workflow: DEFAULT_WORKFLOW });
  const year = pasted.year ? { year: pasted.year } : {};
  const input: PlanInput | null = step === 0 ? null : pasted.source === 'file' && pasted.file ? { file: pasted.file, ...year } : { text: pasted.text, ...year };
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Breadcrumb items={[{ title: <Link to="/admin">系统管理</Link> }, { title: '工作要点导入' }]} />
      <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
        工作要点导入
      </Typography.Title>
      <Steps current={step} items={[{ title: '粘贴文本或上传文件' }, { title: '预览与核对' }, { title: '导入' }]} />
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
  const [form] = Form.useForm<Pasted>();
  const source = Form.useWatch('source', form) ?? initial.source;
  const file = Form.useWatch('file', form) ?? initial.file;
  const options = (workflows.data?.items ?? []).map((w) => ({ value: w.key, label: w.name }));
  return (
    <Form<Pasted> form={form} layout="vertical" initialValues={initial} onFinish={(values) => onPreview({ ...initial, ...values })} style={{ maxWidth: 960 }}>
      <Form.Item name="source" label="导入方式">
        <Segmented<Pasted['source']>
          options={[
            { value: 'text', label: '粘贴文本' },
            { value: 'file', label: '上传文件' },
          ]}
        />
      </Form.Item>
      {source === 'text' ? (
        <Form.Item
          name="text"
          label="工作要点全文"
          rules={[{ required: true, whitespace: true, message: '请粘贴工作要点全文' }]}
          extra="从标题起整篇粘贴，包括各事项后括号中的牵头单位；从 Excel、Word 或网页复制的表格也可直接粘贴。"
        >
          <Input.TextArea rows={14} />
        </Form.Item>
      ) : (
        <Form.Item
          name="file"
          label="工作要点文件"
          valuePropName="fileList"
          // The form keeps the File itself; Upload shows it as its one-item list.
          getValueProps={(value?: File) => ({ fileList: value ? [{ uid: 'plan', name: value.name, status: 'done' as const }] : [] })}
          getValueFromEvent={(e: { file: File; fileList: unknown[] }) => (e.fileList.length > 0 ? e.file : undefined)}
          rules={[
            { required: true, message: '请选择工作要点文件' },
            {
              validator: (_, value?: File) =>
                value && value.size > MAX_PLAN_FILE_BYTES
                  ? Promise.reject(new Error(`文件超过 ${MAX_PLAN_FILE_BYTES / 1024 / 1024} MB 上限`))
                  : Promise.resolve(),
            },
          ]}
          extra="支持 .xlsx、.docx 和 .txt 文件；旧版 .doc / .xls 请先另存为 .docx / .xlsx，PDF 请复制表格文字后粘贴。"
        >
          {/* Nothing is sent on choosing: the file goes to the preview with the year and workflow. */}
          <Upload.Dragger accept={PLAN_FILE_TYPES} maxCount={1} beforeUpload={() => false} aria-label="选择工作要点文件">
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{file ? `已选择：${file.name}，可点击或拖入另一个文件替换` : '点击或拖入文件'}</p>
            <p className="ant-upload-hint">任务分解表、责任分工方案等，表格上方的标题和年份一并读取</p>
          </Upload.Dragger>
        </Form.Item>
      )}
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

function PreviewStep({ input, workflow, importing, onStep }: { input: PlanInput; workflow: string; importing: boolean; onStep: (step: number) => void }) {
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
      { ...input, year: plan.year, workflow, ...(revise ? { revise: true } : {}) },
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
