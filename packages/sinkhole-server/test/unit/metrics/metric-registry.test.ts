import { describe, expect, it } from 'vitest';
import { MetricRegistry } from '../../../src/metrics/metric-registry.js';
import { escapeLabelValue, formatValue } from '../../../src/metrics/text-format.js';

describe('MetricRegistry (text format 0.0.4)', () => {
  it('renders HELP, TYPE and one line per child, children resolved once and kept', () => {
    const r = new MetricRegistry();
    const c = r.counter('x_requests_total', 'Requests.\nSecond line \\ here.', { labelNames: ['code', 'phase'] });
    const child = c.labels('250', 'rcpt');
    expect(c.labels('250', 'rcpt')).toBe(child);
    child.inc();
    child.inc(2);
    r.gauge('x_open', 'Open now.').labels().set(3);
    expect(r.render()).toBe(
      '# HELP x_requests_total Requests.\\nSecond line \\\\ here.\n# TYPE x_requests_total counter\nx_requests_total{code="250",phase="rcpt"} 3\n' +
        '# HELP x_open Open now.\n# TYPE x_open gauge\nx_open 3\n',
    );
  });

  it('escapes label values: backslash, double quote, line feed', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const r = new MetricRegistry();
    r.gauge('x_info', 'Info.', { labelNames: ['text'] }).labels('say "hi"\n').set(1);
    expect(r.render()).toContain('x_info{text="say \\"hi\\"\\n"} 1\n');
  });

  it('formats special values as Prometheus reads them', () => {
    expect([formatValue(Number.NaN), formatValue(Infinity), formatValue(-Infinity), formatValue(0.5), formatValue(12)]).toEqual(['NaN', '+Inf', '-Inf', '0.5', '12']);
  });

  it('refuses names that break the conventions, duplicates, and label sets past the bound', () => {
    const r = new MetricRegistry();
    expect(() => r.counter('x_requests', 'No suffix.')).toThrow(/_total/);
    expect(() => r.gauge('bad-name', 'Dash.')).toThrow(/invalid metric name/);
    expect(() => r.gauge('x_ok', 'Reserved label.', { labelNames: ['__name'] })).toThrow(/invalid label name/);
    r.gauge('x_once', 'Once.');
    expect(() => r.gauge('x_once', 'Twice.')).toThrow(/twice/);
    const bounded = r.counter('x_bounded_total', 'Bounded.', { labelNames: ['k'], maxChildren: 2 });
    bounded.labels('a');
    bounded.labels('b');
    expect(() => bounded.labels('c')).toThrow(/more than 2 label sets/);
    expect(() => bounded.labels()).toThrow(/takes 1 label values/);
  });

  it('runs collectors before each render', () => {
    const r = new MetricRegistry();
    const g = r.gauge('x_size', 'Size.').labels();
    let size = 1;
    r.collect(() => g.set(size));
    expect(r.render()).toContain('x_size 1\n');
    size = 7;
    expect(r.render()).toContain('x_size 7\n');
  });
});
