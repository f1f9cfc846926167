import './telemetry';
import { createServiceApp, listen, loadBaseConfig } from '@crm/nest-kit';
import { AppModule } from './app.module';

const main = async () => {
  const config = loadBaseConfig('billing', 3104);
  const app = await createServiceApp(AppModule.forRoot(config), {
    name: 'billing',
    description: 'Payment plans, invoices, payments, dunning, AR aging (DOMAIN.md §4). The features land with the billing issue; this shell already serves health and OpenAPI.',
    defaultTenant: config.DEFAULT_TENANT,
  });
  await listen(app, config.HOST, config.PORT, 'billing');
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
