import { startTelemetry } from '@crm/observability';

// Imported first by main.ts so that http, pg and Nest are instrumented before they load.
startTelemetry({ serviceName: 'insights' });
