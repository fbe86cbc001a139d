import { UploadOutlined } from '@ant-design/icons';
import { Button, Form, Input, Select, Space, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { errorText } from '../../../api/problem';
import type { Task } from '../../../api/types';
import { useUploadAttachment } from '../../../hooks/tasks';

/** 联系人 and 联系电话 of a reply letter (requires `contact`). */
export function ContactFields() {
  return (
    <Space wrap size={12} align="start">
      <Form.Item label="联系人" name={['contact', 'name']} rules={[{ required: true, whitespace: true, message: '请填写联系人' }]}>
        <Input maxLength={100} style={{ width: 180 }} />
      </Form.Item>
      <Form.Item label="联系电话" name={['contact', 'phone']} rules={[{ required: true, whitespace: true, message: '请填写联系电话' }]}>
        <Input maxLength={40} style={{ width: 200 }} />
      </Form.Item>
    </Space>
  );
}

/** 抄送: the units a reply letter is copied to, typed by name (some are outside the system); requires `cc`. */
export function CcField() {
  return (
    <Form.Item label="抄送单位" name="cc" rules={[{ required: true, type: 'array', min: 1, message: '请填写至少一个抄送单位' }]} extra="输入单位名称后按回车">
      <Select mode="tags" open={false} tokenSeparators={['，', ',', '、']} style={{ maxWidth: 480 }} />
    </Form.Item>
  );
}

/** A file of an upload list with its progress bar named (「name」上传进度), for a screen reader and axe. */
export function labelled(file: UploadFile): UploadFile {
  return { ...file, 'aria-label': `${file.name} 上传进度` };
}

/** The ids of the files of an upload list that are stored (their upload answered the id). */
function storedIds(list: UploadFile[]): string[] {
  return list.flatMap((f) => (f.status === 'done' && typeof f.response === 'string' ? [f.response] : []));
}

/**
 * Files the action carries: each is uploaded to the task when chosen (with its progress), and its
 * id goes with the action (attachmentIds). Required when the action requires `attachment` (the
 * signed reply letter), else optional (evidence with a progress report). `onBusy` tells whether a
 * file is still on its way (the action waits for it).
 */
export function AttachmentField({ task, required, onBusy }: { task: Pick<Task, 'id'>; required: boolean; onBusy: (busy: boolean) => void }) {
  const upload = useUploadAttachment(task.id);
  const [files, setFiles] = useState<UploadFile[]>([]);
  return (
    <Form.Item
      label="附件"
      name="attachmentIds"
      getValueFromEvent={({ fileList }: { fileList: UploadFile[] }) => storedIds(fileList)}
      rules={required ? [{ required: true, type: 'array', min: 1, message: '请上传附件' }] : []}
      extra="PDF、图片、Office 文档、OFD 或文本，每个不超过 20 MB"
    >
      <Upload
        fileList={files}
        customRequest={({ file, onSuccess, onError, onProgress }) => {
          const abort = new AbortController();
          upload
            .mutateAsync({ file: file as File, onProgress: (percent) => onProgress?.({ percent }), signal: abort.signal })
            .then((stored) => onSuccess?.(stored.id))
            .catch((err: unknown) => onError?.(new Error(errorText(err))));
          return { abort: () => abort.abort() };
        }}
        onChange={({ fileList }) => {
          setFiles(fileList.map(labelled));
          onBusy(fileList.some((f) => f.status === 'uploading'));
        }}
      >
        <Button icon={<UploadOutlined />}>选择文件</Button>
      </Upload>
    </Form.Item>
  );
}
