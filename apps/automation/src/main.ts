import './telemetry';
import { createServiceApp, listen, loadBaseConfig } from '@crm/nest-kit';
import { AppModule } from './app.module';

const main = async () => {
  const config = loadBaseConfig('automation', 3106);
  const app = await createServiceApp(AppModule.forRoot(config), {
    name: 'automation',
    description: 'Rules and journeys triggered by domain events (DOMAIN.md §7). The features land with the automation issue; this shell already serves health and OpenAPI.',
    defaultTenant: config.DEFAULT_TENANT,
  });
  await listen(app, config.HOST, config.PORT, 'automation');
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
