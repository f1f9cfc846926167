import './telemetry';
import { createServiceApp, listen, loadBaseConfig } from '@crm/nest-kit';
import { AppModule } from './app.module';

const main = async () => {
  const config = loadBaseConfig('service', 3103);
  const app = await createServiceApp(AppModule.forRoot(config), {
    name: 'service',
    description: 'Tickets, routing, SLA, knowledge base, satisfaction (DOMAIN.md §3). The features land with the service issue; this shell already serves health and OpenAPI.',
    defaultTenant: config.DEFAULT_TENANT,
  });
  await listen(app, config.HOST, config.PORT, 'service');
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
