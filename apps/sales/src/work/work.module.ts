import { Module } from '@nestjs/common';
import { ActivityCommandsService } from './activity/application/activity-commands.service';
import { ActivityController } from './activity/http/activity.controller';
import { StalledDealTasksConsumer } from './task/application/stalled-deal-tasks.consumer';
import { TaskCommandsService } from './task/application/task-commands.service';
import { TaskTimers } from './task/application/task.timers';
import { TaskController } from './task/http/task.controller';

/** Activities and tasks with reminders (DOMAIN.md §2), and the stalled-deal rule's follow-up tasks. */
@Module({
  controllers: [ActivityController, TaskController],
  providers: [ActivityCommandsService, TaskCommandsService, TaskTimers, StalledDealTasksConsumer],
  exports: [TaskCommandsService],
})
export class WorkModule {}
