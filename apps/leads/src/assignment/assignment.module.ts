import { type DynamicModule, Module } from '@nestjs/common';
import { AssignmentService } from './application/assignment.service';
import { ASSIGNMENT_OPTIONS, type AssignmentOptions } from './application/assignment.tokens';
import { HotLeadRoutingConsumer } from './application/hot-lead-routing.consumer';
import { ReturnToPoolTimers } from './application/return-to-pool.scheduler';
import { AssignmentController } from './http/assignment.controller';

/**
 * The lead pool (公海) and assignment: return-to-pool timers on the app's `TimersModule`, and
 * hot-lead routing as leads become hot.
 */
@Module({})
export class AssignmentModule {
  static forRoot(options: AssignmentOptions = {}): DynamicModule {
    return {
      module: AssignmentModule,
      controllers: [AssignmentController],
      providers: [{ provide: ASSIGNMENT_OPTIONS, useValue: options }, AssignmentService, ReturnToPoolTimers, HotLeadRoutingConsumer],
      exports: [AssignmentService],
    };
  }
}
