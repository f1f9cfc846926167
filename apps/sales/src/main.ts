import './telemetry';
import { createServiceApp, listen, loadBaseConfig } from '@crm/nest-kit';
import { AppModule } from './app.module';

const main = async () => {
  const config = loadBaseConfig('sales', 3102);
  const app = await createServiceApp(AppModule.forRoot(config), {
    name: 'sales',
    description: 'Accounts, contacts, pipelines, opportunities, quotes, contracts (DOMAIN.md §2). The features land with the sales issue; this shell already serves health and OpenAPI.',
    defaultTenant: config.DEFAULT_TENANT,
  });
  await listen(app, config.HOST, config.PORT, 'sales');
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
