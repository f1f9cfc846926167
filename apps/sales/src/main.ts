import './telemetry';
import { runService } from '@crm/nest-kit';
import { AppModule } from './app.module';

runService('sales', 'Accounts, contacts, pipelines, opportunities, quotes, contracts (DOMAIN.md §2). The features land with the sales issue; this shell already serves health and OpenAPI.', (config) => AppModule.forRoot(config));
