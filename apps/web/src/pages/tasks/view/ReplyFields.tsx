import { UploadOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Select, Space, Upload, type UploadFile, type UploadProps } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { errorText } from '../../../api/problem';
import type { Task } from '../../../api/types';
import { MAX_UPLOAD_BYTES } from '../../../api/upload';
import { formatSize } from '../../../components/format';
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

/**
 * How an Upload sends its files to the task: a file over the api's limit is refused before it goes
 * (said in Chinese, with its size), and the files still on their way when the form or page goes
 * away are aborted, so that no file lands on the task after its owner left.
 */
export function useTaskUploads(taskId: string): Pick<UploadProps, 'beforeUpload' | 'customRequest'> {
  const { message } = App.useApp();
  const upload = useUploadAttachment(taskId);
  const inFlight = useRef(new Set<AbortController>());
  useEffect(() => {
    const controllers = inFlight.current;
    return () => controllers.forEach((c) => c.abort());
  }, []);
  return {
    beforeUpload: (file) => {
      if (file.size <= MAX_UPLOAD_BYTES) return true;
      void message.error(`「${file.name}」大小为 ${formatSize(file.size)}，超过每个文件 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB 的上限，未上传。`);
      return Upload.LIST_IGNORE;
    },
    customRequest: ({ file, onSuccess, onError, onProgress }) => {
      const abort = new AbortController();
      inFlight.current.add(abort);
      upload
        .mutateAsync({ file: file as File, onProgress: (percent) => onProgress?.({ percent }), signal: abort.signal })
        .then((stored) => onSuccess?.(stored.id))
        .catch((err: unknown) => onError?.(new Error(errorText(err))))
        .finally(() => inFlight.current.delete(abort));
      return { abort: () => abort.abort() };
    },
  };
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
  const uploads = useTaskUploads(task.id);
  const [files, setFiles] = useState<UploadFile[]>([]);
  return (
    <Form.Item
      label="附件"
      name="attachmentIds"
      getValueFromEvent={({ fileList }: { fileList: UploadFile[] }) => storedIds(fileList)}
      rules={required ? [{ required: true, type: 'array', min: 1, message: '请上传附件' }] : []}
      extra={`PDF、图片、Office 文档、OFD 或文本，每个不超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`}
    >
      <Upload
        {...uploads}
        fileList={files}
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
