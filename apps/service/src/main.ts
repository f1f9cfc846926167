import './telemetry';
import { runService } from '@crm/nest-kit';
import { AppModule } from './app.module';

runService('service', 'Tickets, routing, SLA, knowledge base, satisfaction (DOMAIN.md §3). The features land with the service issue; this shell already serves health and OpenAPI.', (config) => AppModule.forRoot(config));
