import './telemetry';
import { runService } from '@crm/nest-kit';
import { AppModule } from './app.module';

runService('automation', 'Rules and journeys triggered by domain events (DOMAIN.md §7). The features land with the automation issue; this shell already serves health and OpenAPI.', (config) => AppModule.forRoot(config));
