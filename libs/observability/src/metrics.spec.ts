import {
  measureCommand,
  metricsText,
  PROMETHEUS_CONTENT_TYPE,
  recordCommand,
  recordEventsAppended,
  recordProjectionEvent,
  registerLagSource,
} from './metrics';

const line = (text: string, name: string, labels: string): number | undefined => {
  const found = text.split('\n').find((l) => l.startsWith(`${name}{`) && labels.split(',').every((label) => l.includes(label)));
  return found === undefined ? undefined : Number(found.slice(found.lastIndexOf(' ') + 1));
};

describe('metrics (Prometheus text, no telemetry started)', () => {
  it('counts commands with service, command and outcome, and their duration', async () => {
    recordCommand({ service: 'leads', command: 'QualifyLead', outcome: 'ok', durationSeconds: 0.02 });
    recordCommand({ service: 'leads', command: 'QualifyLead', outcome: 'ok', durationSeconds: 0.2 });
    recordCommand({ service: 'leads', command: 'QualifyLead', outcome: 'rejected', durationSeconds: 0.01 });

    const text = await metricsText();

    expect(text).toContain('# TYPE crm_commands_total counter');
    expect(line(text, 'crm_commands_total', 'service="leads",command="QualifyLead",outcome="ok"')).toBe(2);
    expect(line(text, 'crm_commands_total', 'command="QualifyLead",outcome="rejected"')).toBe(1);
    expect(text).toContain('# TYPE crm_command_duration_seconds histogram');
    expect(line(text, 'crm_command_duration_seconds_count', 'outcome="ok"')).toBe(2);
    expect(line(text, 'crm_command_duration_seconds_bucket', 'outcome="ok",le="0.025"')).toBe(1);
    expect(line(text, 'crm_command_duration_seconds_bucket', 'outcome="ok",le="0.25"')).toBe(2);
  });

  it('measureCommand times a handler and classifies success and failure', async () => {
    await expect(measureCommand('sales', 'WinDeal', async () => 'done')).resolves.toBe('done');
    await expect(
      measureCommand('sales', 'WinDeal', () => Promise.reject(new Error('stale')), { outcomeOf: () => 'conflict' }),
    ).rejects.toThrow('stale');
    await measureCommand('sales', 'WinDeal', async () => ({ appended: 0 }), { okOutcome: (r) => (r.appended === 0 ? 'duplicate' : 'ok') });

    const text = await metricsText();
    expect(line(text, 'crm_commands_total', 'service="sales",command="WinDeal",outcome="ok"')).toBe(1);
    expect(line(text, 'crm_commands_total', 'service="sales",command="WinDeal",outcome="conflict"')).toBe(1);
    expect(line(text, 'crm_commands_total', 'service="sales",command="WinDeal",outcome="duplicate"')).toBe(1);
  });

  it('counts appended events by stream category and projection events by outcome', async () => {
    recordEventsAppended({ service: 'leads', streamCategory: 'lead', count: 3 });
    recordEventsAppended({ service: 'leads', streamCategory: 'lead' });
    recordEventsAppended({ service: 'leads', streamCategory: 'lead', count: 0 });
    recordProjectionEvent({ service: 'insights', projection: 'customer-360', outcome: 'applied' });
    recordProjectionEvent({ service: 'insights', projection: 'customer-360', outcome: 'skipped' });

    const text = await metricsText();
    expect(line(text, 'crm_events_appended_total', 'service="leads",stream_category="lead"')).toBe(4);
    expect(line(text, 'crm_projection_events_total', 'projection="customer-360",outcome="applied"')).toBe(1);
    expect(line(text, 'crm_projection_events_total', 'projection="customer-360",outcome="skipped"')).toBe(1);
  });

  it('the lag gauge reads registered sources on every scrape and stops reading unregistered ones', async () => {
    let lag = 7;
    let reads = 0;
    const unregister = registerLagSource('insights.lead-read-model', 'leads', () => (reads++, lag));
    const unregisterAsync = registerLagSource('automation.journeys', 'sales', async () => 2);
    const unregisterBroken = registerLagSource('automation.journeys', 'billing', () => {
      throw new Error('store down');
    });

    let text = await metricsText();
    expect(text).toContain('# TYPE crm_consumer_lag gauge');
    expect(line(text, 'crm_consumer_lag', 'consumer="insights.lead-read-model",source="leads"')).toBe(7);
    expect(line(text, 'crm_consumer_lag', 'consumer="automation.journeys",source="sales"')).toBe(2);
    expect(line(text, 'crm_consumer_lag', 'source="billing"')).toBeUndefined();

    lag = 0;
    text = await metricsText();
    expect(line(text, 'crm_consumer_lag', 'consumer="insights.lead-read-model",source="leads"')).toBe(0);

    unregister();
    unregisterAsync();
    unregisterBroken();
    lag = 99;
    const readsBefore = reads;
    text = await metricsText();
    expect(reads).toBe(readsBefore);
    // OTel's cumulative collection keeps an attribute set it has seen, with its last value.
    expect(line(text, 'crm_consumer_lag', 'source="leads"')).toBe(0);
  });

  it('serves the Prometheus exposition content type', () => {
    expect(PROMETHEUS_CONTENT_TYPE).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});
