import { Controller, Get, Inject, Module, type DynamicModule } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TerminusModule } from '@nestjs/terminus';

/** One dependency that must answer before the service takes traffic (database, NATS, …). */
export type ReadinessCheck = { name: string; check: () => Promise<void> };

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => { clearTimeout(t); resolve(v); },
      (e: unknown) => { clearTimeout(t); reject(e instanceof Error ? e : new Error(String(e))); },
    );
  });

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
  ) {}

  /** The process is alive. Never checks dependencies: a database outage must not restart pods. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Every dependency answers within 2 s; 503 otherwise, so Kubernetes stops routing traffic here. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check(
      this.checks.map(({ name, check }) => async () => {
        const session = this.indicators.check(name);
        try {
          await withTimeout(check(), 2_000);
          return session.up();
        } catch (e) {
          return session.down({ message: e instanceof Error ? e.message : String(e) });
        }
      }),
    );
  }
}

/** `/health/live` and `/health/ready` (Terminus); the checks come from the app's composition root. */
@Module({})
export class HealthModule {
  static forRoot(checks: { useFactory: (...deps: never[]) => ReadinessCheck[]; inject?: (string | symbol | (abstract new (...args: never[]) => unknown))[] }): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [{ provide: READINESS_CHECKS, useFactory: checks.useFactory, inject: checks.inject ?? [] }],
    };
  }
}
