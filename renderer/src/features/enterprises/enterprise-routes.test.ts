import { describe, expect, it } from 'vitest';
import { formatRoute, parseHash } from '../../state/routes.js';

describe('enterprise routes', () => {
  it('round-trips the search screen and one credit file', () => {
    expect(parseHash('#/enterprises')).toEqual({ name: 'enterprises' });
    const route = { name: 'enterprise', uscc: '91371002MA3C5XYZ9K' } as const;
    expect(formatRoute(route)).toBe('#/enterprises/91371002MA3C5XYZ9K');
    expect(parseHash(formatRoute(route))).toEqual(route);
  });
});
