import './telemetry';
import { createServiceApp, listen, loadConfig, baseConfigSchema } from '@crm/nest-kit';
import { AppModule } from './app.module';

const main = async () => {
  const config = loadConfig('gateway', baseConfigSchema, { PORT: '3100', ...process.env });
  const app = await createServiceApp(AppModule, { name: 'gateway', description: 'Entry point of the suite.', defaultTenant: config.DEFAULT_TENANT });
  await listen(app, config.HOST, config.PORT, 'gateway');
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
