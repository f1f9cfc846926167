import { SERVICES } from '@crm/contracts';
import { HealthModule, ObservabilityModule } from '@crm/nest-kit';
import { Controller, Get, Module } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

/** Where each service listens in the embedded default (overridable with <APP>_URL variables). */
export const serviceDirectory = (env: Record<string, string | undefined> = process.env) =>
  Object.fromEntries(
    SERVICES.filter((s) => s.name !== 'gateway').map(({ name, port }) => [name, env[`${name.toUpperCase()}_URL`] ?? `http://127.0.0.1:${port}`]),
  );

@ApiTags('gateway')
@Controller()
class DirectoryController {
  @Get()
  @ApiOperation({ summary: 'The suite’s services and where their APIs are documented' })
  index() {
    return { services: Object.entries(serviceDirectory()).map(([name, url]) => ({ name, url, docs: `${url}/docs` })) };
  }
}

/** The gateway: for now the entry point that lists the services (routing and auth land with the gateway issue). */
@Module({ imports: [ObservabilityModule.forRoot('gateway'), HealthModule.forRoot({ useFactory: () => [] })], controllers: [DirectoryController] })
export class AppModule {}
