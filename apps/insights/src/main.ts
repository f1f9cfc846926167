import './telemetry';
import { createServiceApp, listen, loadBaseConfig } from '@crm/nest-kit';
import { AppModule } from './app.module';

const main = async () => {
  const config = loadBaseConfig('insights', 3105);
  const app = await createServiceApp(AppModule.forRoot(config), {
    name: 'insights',
    description: 'Read models and reports built from every context’s events.',
    defaultTenant: config.DEFAULT_TENANT,
  });
  await listen(app, config.HOST, config.PORT, 'insights');
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
