import { ApartmentOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, Modal, Row, Select, Space, Tag, Tree, type TreeDataNode, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { errorText } from '../../api/problem';
import type { Department } from '../../api/types';
import { useCreateDepartment, useDepartments, useUpdateDepartment } from '../../hooks/org';
import { type DepartmentKind, KIND_LABELS, options } from './org-words';
import { OrgNav } from './OrgNav';

interface DepartmentValues {
  name: string;
  code: string;
  kind: DepartmentKind;
  parentId?: string;
  supervisorDepartmentId?: string;
  aliases?: string[];
}

/** What the form edits: everything (新建, 编辑) or only where the department sits (移动). */
type Mode = { kind: 'create' } | { kind: 'edit' | 'move'; department: Department };

/** The departments as a tree by parent; one whose parent is not listed is a root. */
function treeOf(departments: Department[]): TreeDataNode[] {
  const ids = new Set(departments.map((d) => d.id));
  const children = new Map<string | null, Department[]>();
  for (const d of departments) {
    const parent = d.parentId && ids.has(d.parentId) ? d.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), d]);
  }
  const build = (parent: string | null): TreeDataNode[] =>
    (children.get(parent) ?? []).map((d) => ({
      key: d.id,
      title: (
        <span>
          {d.name} <Tag style={{ marginInlineStart: 4 }}>{KIND_LABELS[d.kind]}</Tag>
        </span>
      ),
      children: build(d.id),
    }));
  return build(null);
}

/** `/admin/departments`: the department tree; create, edit and move a department (the api refuses a cycle). */
export default function DepartmentsPage() {
  const departments = useDepartments();
  const [params, setParams] = useSearchParams();
  const [mode, setMode] = useState<Mode | null>(null);
  const items = useMemo(() => departments.data?.items ?? [], [departments.data]);
  const tree = useMemo(() => treeOf(items), [items]);
  const selected = items.find((d) => d.id === params.get('id'));
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <OrgNav current="/admin/departments" />
      {departments.isError && <Alert type="error" showIcon title={errorText(departments.error)} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12}>
          <Card
            size="small"
            title="单位"
            loading={departments.isPending}
            extra={
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setMode({ kind: 'create' })}>
                新建单位
              </Button>
            }
          >
            {tree.length > 0 && (
              <Tree
                aria-label="单位树"
                showLine
                defaultExpandAll
                icon={<ApartmentOutlined />}
                treeData={tree}
                selectedKeys={selected ? [selected.id] : []}
                onSelect={(keys) => setParams(keys[0] ? { id: String(keys[0]) } : {})}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} md={12}>
          {selected ? (
            <DepartmentCard
              department={selected}
              all={items}
              onEdit={() => setMode({ kind: 'edit', department: selected })}
              onMove={() => setMode({ kind: 'move', department: selected })}
            />
          ) : (
            <Card size="small">
              <Typography.Text type="secondary">选择一个单位查看详情。</Typography.Text>
            </Card>
          )}
        </Col>
      </Row>
      {mode && <DepartmentForm mode={mode} all={items} onClose={() => setMode(null)} onSaved={(d) => setParams({ id: d.id })} />}
    </Space>
  );
}

function DepartmentCard({ department, all, onEdit, onMove }: { department: Department; all: Department[]; onEdit: () => void; onMove: () => void }) {
  const name = (id: string | null) => all.find((d) => d.id === id)?.name ?? '—';
  const supervisor = department.supervisorDepartmentId
    ? name(department.supervisorDepartmentId)
    : department.effectiveSupervisorDepartmentId
      ? `${name(department.effectiveSupervisorDepartmentId)}（沿用上级）`
      : '—';
  return (
    <Card
      size="small"
      title={department.name}
      extra={
        <Space wrap>
          <Button onClick={onEdit}>编辑</Button>
          <Button onClick={onMove}>移动</Button>
        </Space>
      }
    >
      <Descriptions column={1} size="small">
        <Descriptions.Item label="编码">{department.code}</Descriptions.Item>
        <Descriptions.Item label="类型">{KIND_LABELS[department.kind]}</Descriptions.Item>
        <Descriptions.Item label="上级单位">{name(department.parentId)}</Descriptions.Item>
        <Descriptions.Item label="督办单位">{supervisor}</Descriptions.Item>
        <Descriptions.Item label="别名">{department.aliases.length ? department.aliases.map((a) => <Tag key={a}>{a}</Tag>) : '—'}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function DepartmentForm({ mode, all, onClose, onSaved }: { mode: Mode; all: Department[]; onClose: () => void; onSaved: (d: Department) => void }) {
  const create = useCreateDepartment();
  const update = useUpdateDepartment();
  const { message } = App.useApp();
  const [form] = Form.useForm<DepartmentValues>();
  const mutation = mode.kind === 'create' ? create : update;
  const current = mode.kind === 'create' ? undefined : mode.department;
  const departmentOptions = all.filter((d) => d.id !== current?.id).map((d) => ({ value: d.id, label: d.name }));
  const title = mode.kind === 'create' ? '新建单位' : mode.kind === 'edit' ? `编辑单位：${current!.name}` : `移动单位：${current!.name}`;
  const submit = (values: DepartmentValues) => {
    const done = { onSuccess: (d: Department) => (void message.success('已保存'), onSaved(d), onClose()) };
    if (mode.kind === 'create') {
      create.mutate({ ...values, aliases: values.aliases ?? [] }, done);
    } else if (mode.kind === 'move') {
      update.mutate({ id: mode.department.id, body: { parentId: values.parentId ?? null } }, done);
    } else {
      const body = {
        ...values,
        parentId: values.parentId ?? null,
        supervisorDepartmentId: values.supervisorDepartmentId ?? null,
        aliases: values.aliases ?? [],
      };
      update.mutate({ id: mode.department.id, body }, done);
    }
  };
  const search = { optionFilterProp: 'label' } as const;
  return (
    <Modal open title={title} okText="保存" cancelText="取消" onCancel={onClose} onOk={() => form.submit()} confirmLoading={mutation.isPending} destroyOnHidden>
      <Form<DepartmentValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={
          current && {
            name: current.name,
            code: current.code,
            kind: current.kind,
            parentId: current.parentId ?? undefined,
            supervisorDepartmentId: current.supervisorDepartmentId ?? undefined,
            aliases: current.aliases,
          }
        }
      >
        {mode.kind !== 'move' && <NameFields />}
        <Form.Item label="上级单位" name="parentId" extra="不选则为顶级单位">
          <Select allowClear showSearch={search} options={departmentOptions} placeholder="选择上级单位" />
        </Form.Item>
        {mode.kind !== 'move' && (
          <>
            <Form.Item label="督办单位" name="supervisorDepartmentId" extra="不选则沿用上级单位的督办单位">
              <Select allowClear showSearch={search} options={all.map((d) => ({ value: d.id, label: d.name }))} placeholder="选择督办单位" />
            </Form.Item>
            <Form.Item label="别名" name="aliases" extra="输入后按回车添加，如“政数局”">
              <Select mode="tags" open={false} suffixIcon={null} aria-label="别名" />
            </Form.Item>
          </>
        )}
      </Form>
      {mutation.isError && <Alert type="error" showIcon role="alert" title={errorText(mutation.error)} />}
    </Modal>
  );
}

/** 名称, 编码, 类型: what a move leaves as it is. */
function NameFields() {
  return (
    <>
      <Form.Item label="名称" name="name" rules={[{ required: true, whitespace: true, message: '请输入单位名称' }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item
        label="编码"
        name="code"
        rules={[
          { required: true, message: '请输入编码' },
          { pattern: /^[A-Za-z0-9_.-]{1,64}$/, message: '编码由字母、数字、“_”“.”“-”组成，最多 64 个字符' },
        ]}
      >
        <Input maxLength={64} />
      </Form.Item>
      <Form.Item label="类型" name="kind" rules={[{ required: true, message: '请选择类型' }]}>
        <Select options={options(KIND_LABELS)} />
      </Form.Item>
    </>
  );
}
