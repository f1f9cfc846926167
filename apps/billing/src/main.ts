import './telemetry';
import { runService } from '@crm/nest-kit';
import { AppModule } from './app.module';

runService('billing', 'Payment plans, invoices, payments, dunning, AR aging (DOMAIN.md §4). The features land with the billing issue; this shell already serves health and OpenAPI.', (config) => AppModule.forRoot(config));
