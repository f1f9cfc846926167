import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem-details';

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string', example: 'urn:crm:problem:validation_failed' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    code: { type: 'string', description: 'Stable machine-readable error code.' },
    errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
  },
};

const DESCRIPTIONS: Record<number, string> = {
  400: 'The request is malformed or fails validation.',
  404: 'No such resource for this tenant.',
  409: 'Conflict: a stale If-Match revision, or the resource already exists.',
  412: 'Precondition failed.',
  422: 'A business rule forbids the change.',
  429: 'Too many requests.',
};

/** Documents the RFC 9457 problem responses an operation (or every operation of a controller) may return. */
export const ApiProblems = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Problem', content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } }),
    ),
  );
