import { Logger, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoLogger } from 'nestjs-pino';
import { serviceInfo, type ServiceName } from '@crm/contracts';
import { baseConfigSchema, loadBaseConfig, loadConfig, type BaseConfig } from './config';
import { ProblemDetailsFilter } from './problem-details';
import { DEFAULT_TENANT_PROPERTY } from './request-context';

export type ServiceDescription = {
  /** Short name: leads, sales, …; also the OpenAPI title prefix. */
  name: string;
  description: string;
  version?: string;
  defaultTenant?: string;
};

/**
 * Everything an app needs around its module, applied the same way in main.ts and in tests:
 * problem+json for every error (Nest's and Fastify's own), OpenAPI at /docs and /docs-json,
 * shutdown hooks.
 */
export const configureServiceApp = async (app: NestFastifyApplication, service: ServiceDescription): Promise<void> => {
  // Nest routes Fastify's own errors (malformed JSON, body too large) through this filter too.
  app.useGlobalFilters(new ProblemDetailsFilter());
  const fastify = app.getHttpAdapter().getInstance();
  fastify.decorateRequest(DEFAULT_TENANT_PROPERTY, service.defaultTenant ?? 'default');
  // A body with a JSON content type is parsed by Fastify before Nest sees it; `application/problem+json`
  // and `application/merge-patch+json` requests are JSON too.
  fastify.addContentTypeParser(/^application\/[a-z.+-]*\+json$/, { parseAs: 'string' }, fastify.getDefaultJsonParser('error', 'error'));
  const config = new DocumentBuilder()
    .setTitle(`CRM ${service.name} API`)
    .setDescription(service.description)
    .setVersion(service.version ?? '0.1.0')
    .addGlobalParameters(
      { name: 'x-tenant-id', in: 'header', required: false, description: 'Tenant; the configured default tenant when absent.', schema: { type: 'string' } },
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', raw: ['json'] });
  app.enableShutdownHooks();
};

export const createServiceApp = async (
  rootModule: Type<unknown> | DynamicModule,
  service: ServiceDescription,
  options: { logger?: false | ConstructorParameters<typeof Logger>[0]; bufferLogs?: boolean } = {},
): Promise<NestFastifyApplication> => {
  const adapter = new FastifyAdapter({ bodyLimit: 1_048_576, trustProxy: true, return503OnClosing: true });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, {
    bufferLogs: options.bufferLogs ?? true,
    abortOnError: false,
    ...(options.logger === false ? { logger: false } : {}),
  });
  if (options.logger !== false) {
    try {
      app.useLogger(app.get(PinoLogger));
    } catch {
      // the app did not import ObservabilityModule: keep Nest's logger
    }
  }
  await configureServiceApp(app, service);
  return app;
};

/** Starts listening and logs where. */
export const listen = async (app: INestApplication, host: string, port: number, name: string): Promise<void> => {
  await app.listen(port, host);
  new Logger(name).log(`listening on http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port} (OpenAPI at /docs)`);
};

/**
 * A service's whole `main`: read the configuration (default port from the service table), build
 * the app around the module, listen; on a start-up failure print why and exit 1. Apps that
 * neither own an event store nor consume events (the gateway) need no database settings.
 */
export const runService = (
  name: ServiceName,
  description: string,
  rootModule: (config: BaseConfig) => Type<unknown> | DynamicModule,
): void => {
  const main = async () => {
    const { port, eventSourced, consumes } = serviceInfo(name);
    const config: BaseConfig = eventSourced || consumes
      ? loadBaseConfig(name, port)
      : { ...loadConfig(name, baseConfigSchema, { PORT: String(port), ...process.env }), EVENT_STORE: 'memory' };
    const app = await createServiceApp(rootModule(config), { name, description, defaultTenant: config.DEFAULT_TENANT });
    await listen(app, config.HOST, config.PORT, name);
  };
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  });
};
