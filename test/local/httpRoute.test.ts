// Route templates as ASP.NET Core (and so the Functions host) matches them.
import { byPrecedence, compileRoute, pathSegments } from '../../local/httpRoute';

const match = (template: string, path: string) => compileRoute(template).match(pathSegments(path)!);

describe('constraints', () => {
  test.each([
    ['n/{v:int}', ['/n/-2147483648', '/n/2147483647'], ['/n/2147483648', '/n/1.5', '/n/abc']],
    ['n/{v:long}', ['/n/9223372036854775807'], ['/n/9223372036854775808']],
    ['n/{v:bool}', ['/n/true', '/n/FALSE'], ['/n/yes', '/n/1']],
    ['n/{v:double}', ['/n/1.5', '/n/-2', '/n/1e3'], ['/n/1,5', '/n/x']],
    [
      'n/{v:guid}',
      [
        '/n/3f2504e0-4f89-11d3-9a0c-0305e82c3301',
        '/n/3F2504E04F8911D39A0C0305E82C3301',
        '/n/{3f2504e0-4f89-11d3-9a0c-0305e82c3301}',
      ],
      ['/n/3f2504e0-4f89-11d3-9a0c', '/n/3f2504e0-4f8911d3-9a0c-0305e82c3301'],
    ],
    ['n/{v:alpha}', ['/n/abcXYZ'], ['/n/abc1']],
    ['n/{v:minlength(3)}', ['/n/abc'], ['/n/ab']],
    ['n/{v:maxlength(3)}', ['/n/abc'], ['/n/abcd']],
    ['n/{v:length(2)}', ['/n/ab'], ['/n/a', '/n/abc']],
    ['n/{v:length(2,3)}', ['/n/ab', '/n/abc'], ['/n/a', '/n/abcd']],
    ['n/{v:min(10)}', ['/n/10', '/n/99999999999'], ['/n/9', '/n/x']],
    ['n/{v:max(10)}', ['/n/10', '/n/-5'], ['/n/11']],
    ['n/{v:range(1,5)}', ['/n/1', '/n/5'], ['/n/0', '/n/6']],
    ['n/{v:regex(^S\\d{{3}}$)}', ['/n/S042', '/n/s042'], ['/n/S42', '/n/XS042']],
    ['n/{v:int:min(1)}', ['/n/1'], ['/n/0', '/n/x']],
    ['n/{v:datetime}', ['/n/2026-11-30', '/n/2026-11-30T10:00:00Z'], ['/n/tomorrow']],
  ])('%s', (template, accepted, refused) => {
    for (const p of accepted)
      expect([p, match(template, p)]).toEqual([p, { v: decodeURIComponent(p.slice(3)) }]);
    for (const p of refused) expect([p, match(template, p)]).toEqual([p, undefined]);
  });

  test('an unknown constraint is refused when the route is compiled, as the host refuses to start', () => {
    expect(() => compileRoute('n/{v:integer}')).toThrow('unknown route constraint "integer"');
  });
});

describe('parameters', () => {
  test('optional, default and catch-all parameters', () => {
    expect(match('items/{id?}', '/items')).toEqual({});
    expect(match('items/{page=1}', '/items')).toEqual({ page: '1' });
    expect(match('items/{page=1}', '/items/4')).toEqual({ page: '4' });
    expect(match('f/{*rest}', '/f/a/b/c')).toEqual({ rest: 'a/b/c' });
    expect(match('f/{**rest}', '/f')).toEqual({});
    expect(match('items/{id}', '/items')).toBeUndefined();
  });

  test('complex segments split on their literals, right to left', () => {
    expect(match('img/{name}.{ext}', '/img/logo.v2.png')).toEqual({ name: 'logo.v2', ext: 'png' });
    expect(match('r/{a}-{b}-{c}', '/r/x-y-z-w')).toEqual({ a: 'x-y', b: 'z', c: 'w' });
    expect(match('day/{y:int}-{m:int}', '/day/2026-11')).toEqual({ y: '2026', m: '11' });
    expect(match('day/{y:int}-{m:int}', '/day/2026-xx')).toBeUndefined();
  });

  test('values are decoded per segment; a malformed escape matches nothing', () => {
    expect(match('s/{name}', '/s/a%2Fb%20c')).toEqual({ name: 'a/b c' });
    expect(pathSegments('/s/%E0%A4%A')).toBeUndefined();
  });

  test('extra segments do not match', () => {
    expect(match('a/{b}', '/a/1/2')).toBeUndefined();
  });
});

test('precedence: literal, then complex, then constrained, then plain, then catch-all', () => {
  const templates = ['o/{*rest}', 'o/{name}', 'o/{id:int}', 'o/{a}.{b}', 'o/latest'];
  const sorted = templates
    .map(compileRoute)
    .sort(byPrecedence)
    .map((r) => r.template);
  expect(sorted).toEqual(['o/latest', 'o/{a}.{b}', 'o/{id:int}', 'o/{name}', 'o/{*rest}']);
});
