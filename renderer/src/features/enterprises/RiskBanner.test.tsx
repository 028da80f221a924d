import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { makeEnterprise } from '../../testing/builders.js';
import { RiskBanner } from './RiskBanner.js';

function banner(warningColor: 'red' | 'blue' | null): string {
  const base = makeEnterprise(1);
  return renderToStaticMarkup(
    <RiskBanner e={{ ...base, internal: { ...base.internal, creditClass: 'C', warningColor } }} />,
  );
}

describe('risk banner', () => {
  it('shows the credit class and the warning colour as two separate measures', () => {
    const html = banner('red');
    expect(html).toMatch(/data-testid="credit-class".*信用风险分类/);
    expect(html).toMatch(/data-testid="warning-color".*四色预警.*红色预警/);
  });

  it('shows no warning for an enterprise outside the fields that use it, but still its class', () => {
    const html = banner(null);
    expect(html).toContain('信用风险分类');
    expect(html).not.toContain('warning-color');
    expect(html).not.toContain('四色预警');
    expect(html).not.toMatch(/预警/);
  });
});
