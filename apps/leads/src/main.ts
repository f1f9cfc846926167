import './telemetry';
import { createServiceApp, listen, loadBaseConfig } from '@crm/nest-kit';
import { AppModule } from './app.module';

const main = async () => {
  const config = loadBaseConfig('leads', 3101);
  const app = await createServiceApp(AppModule.forRoot(config), {
    name: 'leads',
    description: 'Lead capture and lifecycle: capture, qualify, disqualify, convert.',
    defaultTenant: config.DEFAULT_TENANT,
  });
  await listen(app, config.HOST, config.PORT, 'leads');
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
