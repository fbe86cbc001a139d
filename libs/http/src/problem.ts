import { type ArgumentsHost, BadRequestException, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger, type ValidationError } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PG_DATA_EXCEPTION_CLASS, pgCode } from '@duban/db';
import { DomainError } from './domain-error.js';
import { fieldMessage } from './field-messages.js';

export { DomainError };

export interface FieldError {
  path: string;
  message: string;
}

/** RFC 9457 body; extension members (errors, allowedActions, ...) sit beside the standard ones. */
export interface ProblemDetails {
  type: string;
  /** The problem type's last segment (`action-not-allowed`, `validation`): what clients match on. */
  code?: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const problemType = (slug: string) => `urn:duban:problem:${slug}`;

/**
 * Input that is well-formed but names something that does not exist or cannot be (an unknown
 * department, a date outside the calendar, a year file for another year): 400 naming the field.
 */
export class InvalidInputError extends DomainError.of(400, 'validation', 'Bad Request') {
  constructor(path: string, message: string) {
    super(message);
    this.extensions.errors = [{ path, message }];
  }
}

export class RequestValidationError extends BadRequestException {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  }
}

/**
 * Flattens class-validator's tree into one entry per invalid field, `a.b.0.c` style paths, each
 * with one message (fieldMessage: Chinese first) however many constraints the field failed.
 */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.keys(error.constraints ?? {}).length > 0 ? [{ path, message: fieldMessage(error) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}

const STATUS_SLUGS: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable-content',
  429: 'too-many-requests',
  500: 'internal',
  503: 'unavailable',
};

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** What each status means in Chinese: the start of a detail written only in English. */
const STATUS_WORDS: Record<number, string> = {
  400: '请求不合格',
  401: '未登录或登录已失效',
  403: '无权执行此操作',
  404: '未找到',
  405: '不支持此请求方法',
  409: '操作与当前状态冲突',
  413: '请求内容过大',
  415: '不支持此内容类型',
  422: '内容无法处理',
  429: '请求过于频繁，请稍后再试',
  500: '服务器内部错误',
  503: '服务暂不可用，请稍后再试',
};

const CJK = /[\u3400-\u9fff]/;

export function problemFor(status: number, detail?: string, extensions: Record<string, unknown> = {}): ProblemDetails {
  return {
    type: problemType(STATUS_SLUGS[status] ?? `http-${status}`),
    title: STATUS_TITLES[status] ?? HttpStatus[status] ?? 'Error',
    status,
    ...(detail ? { detail } : {}),
    ...extensions,
  };
}

/** Errors raised by Express' body parser before any route runs (malformed JSON, oversized body). */
interface BodyParserError {
  type: string;
  status: number;
  message: string;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as BodyParserError).type === 'string' &&
    typeof (err as BodyParserError).status === 'number' &&
    (err as BodyParserError).type.startsWith('entity.')
  );
}

/**
 * The problem+json body of any error: its stable `code` (the type's last segment) added, a
 * detail written only in English led by the status's Chinese words and a field message written
 * only in English by "不合格", so a person always reads Chinese first.
 */
export function toProblem(err: unknown): ProblemDetails {
  const problem = problemOf(err);
  const detail = problem.detail === undefined || CJK.test(problem.detail) ? problem.detail : `${STATUS_WORDS[problem.status] ?? '请求失败'}。${problem.detail}`;
  const errors = problem.errors?.map((e) => (CJK.test(e.message) ? e : { ...e, message: `不合格。${e.message}` }));
  return {
    ...problem,
    code: problem.type.slice(problem.type.lastIndexOf(':') + 1),
    ...(detail === undefined ? {} : { detail }),
    ...(errors === undefined ? {} : { errors }),
  };
}

function problemOf(err: unknown): ProblemDetails {
  if (err instanceof DomainError) {
    return { ...problemFor(err.status, err.message), type: problemType(err.slug), title: err.title, ...err.extensions };
  }
  if (err instanceof RequestValidationError) {
    const fields = [...new Set(err.errors.map((e) => e.path))].join('、');
    return { ...problemFor(400, `请求中有字段不合格：${fields}。The request has invalid fields.`), type: problemType('validation'), errors: err.errors };
  }
  if (isBodyParserError(err)) {
    if (err.type === 'entity.parse.failed') {
      return { ...problemFor(400, '请求体不是合法的 JSON。The request body is not valid JSON.'), type: problemType('malformed-body') };
    }
    if (err.type === 'entity.too.large') return problemFor(413, '请求体超过服务器允许的大小。The request body is larger than the server accepts.');
    if (err.type === 'entity.verify.failed') return problemFor(400, err.message);
    return problemFor(err.status, err.message);
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const response = err.getResponse();
    if (typeof response === 'object' && response !== null && 'type' in response && 'title' in response) {
      return response as ProblemDetails;
    }
    const cause = err.cause;
    if (isBodyParserError(cause)) return problemOf(cause);
    return problemFor(status, err.message);
  }
  // Class 22 (data exception): a value PostgreSQL cannot store, such as a NUL character or an
  // unpaired surrogate in text: the request's fault, not the server's.
  if (pgCode(err)?.startsWith(PG_DATA_EXCEPTION_CLASS)) {
    return problemFor(400, '请求中含有无法保存的字符（如 NUL）。The request contains a value that cannot be stored (for example a NUL character).');
  }
  if (err instanceof Error && UNAVAILABLE.test(err.message)) {
    return problemFor(503, '数据库或 Redis 暂不可用或负载过高，请稍后再试。The database or Redis is unavailable or overloaded; try again shortly.');
  }
  return problemFor(500, '服务器发生意外错误，已记录。An unexpected error occurred; it has been logged.');
}

/** Driver errors that mean "not now" rather than "broken": the client should retry. */
const UNAVAILABLE = /timeout exceeded when trying to connect|Connection terminated|ECONNREFUSED|Stream isn't writeable|Connection is closed/i;

/** The single place where errors become HTTP responses: RFC 9457 problem+json, always. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    const problem = toProblem(exception);
    if (problem.status >= 500) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    res
      .status(problem.status)
      .type(PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify({ ...problem, instance: req.originalUrl.split('?')[0] }));
  }
}
