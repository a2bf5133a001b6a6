// The SSRF guard's address classes and the operator's allowance, without a network.
import { isPrivateAddress, parseAllowance, urlProblem } from './ssrf';

describe('webhook SSRF guard', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
  ])('refuses %s', (address) => expect(isPrivateAddress(address)).toBe(true));

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('accepts %s', (address) =>
    expect(isPrivateAddress(address)).toBe(false),
  );

  it('allows exactly the addresses the policy names, for the workspaces it names', () => {
    const allow = parseAllowance('ws1=127.0.0.1, *=10.0.0.5');
    expect(allow('ws1', '127.0.0.1')).toBe(true);
    expect(allow('ws1', '::ffff:127.0.0.1')).toBe(true);
    expect(allow('ws2', '127.0.0.1')).toBe(false);
    expect(allow('ws2', '10.0.0.5')).toBe(true);
    expect(allow('ws1', '10.0.0.6')).toBe(false);
    expect(() => parseAllowance('ws1=localhost')).toThrow(/WEBHOOK_ALLOW_PRIVATE/);
  });

  it('names what is wrong with a URL before resolving it', async () => {
    const none = parseAllowance('');
    expect(await urlProblem('not a url', 'ws', none)).toMatch(/valid absolute URL/);
    expect(await urlProblem('ftp://example.com/', 'ws', none)).toMatch(/http/);
    expect(await urlProblem('https://u:p@example.com/', 'ws', none)).toMatch(/credentials/);
    expect(await urlProblem('http://[fe80::1]/', 'ws', none)).toMatch(/refused/);
    expect(await urlProblem('http://127.0.0.1:8080/', 'ws', parseAllowance('ws=127.0.0.1'))).toBeNull();
  });
});
