import type { ExistingTask } from '../domain/task.decider';
import type { TaskResponse } from './task.dto';

/** The task document served by GET /v1/tasks/{id}. */
export const taskView = (t: ExistingTask, revision: number): TaskResponse => ({
  id: t.taskId,
  status: t.status,
  revision,
  title: t.title,
  ...(t.description !== undefined && { description: t.description }),
  ...(t.about !== undefined && { about: t.about }),
  assigneeId: t.assigneeId,
  dueAt: t.dueAt,
  ...(t.remindAt !== undefined && { remindAt: t.remindAt }),
  reminded: t.remindAt !== undefined && t.remindedFor === t.remindAt,
  overdue: t.overdueFor === t.dueAt,
  origin: t.origin,
  ...(t.createdBy !== undefined && { createdBy: t.createdBy }),
  createdAt: t.createdAt,
  ...(t.closedAt !== undefined && { closedAt: t.closedAt }),
});
