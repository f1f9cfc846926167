import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventSchemas } from './event-schemas';

// docs/events.md is the public catalogue for other systems: it must name every published event type.
describe('event catalogue', () => {
  const catalogue = readFileSync(join(__dirname, '../../../docs/events.md'), 'utf8');
  it.each(Object.keys(eventSchemas))('docs/events.md describes %s', (type) => {
    expect(catalogue).toContain(`\`${type}\``);
  });
});
