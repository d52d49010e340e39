import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { isOriginAllowed } from '../../server/services/auth/origin-policy.ts';

describe('origin policy', () => {
  it('allows no Origin (non-browser clients), the same host, and listed origins only', () => {
    const listed = ['https://partner.example'];
    expect(isOriginAllowed(undefined, 'app.example', [])).toBe(true);
    expect(isOriginAllowed('https://app.example', 'app.example', [])).toBe(true);
    expect(isOriginAllowed('http://APP.example:5170', 'app.example:5170', [])).toBe(true);
    expect(isOriginAllowed('http://app.example:5171', 'app.example:5170', [])).toBe(false);
    expect(isOriginAllowed('https://app.example.evil.test', 'app.example', [])).toBe(false);
    expect(isOriginAllowed('null', 'app.example', [])).toBe(false);
    expect(isOriginAllowed('https://partner.example', 'app.example', listed)).toBe(true);
    expect(isOriginAllowed('https://partner.example', 'app.example', [])).toBe(false);
  });
});

describe('security configuration', () => {
  it('defaults: generated secret, plain http, no proxy, no other origins, no first researcher', () => {
    expect(loadConfig({})).toMatchObject({
      cookieSecret: null,
      secureCookies: false,
      trustProxy: false,
      allowedOrigins: [],
      adminUsername: null,
      adminPassword: null,
    });
  });

  it('parses the variables; empty values count as unset', () => {
    const config = loadConfig({
      PREFDISCO_COOKIE_SECRET: 's'.repeat(32),
      PREFDISCO_SECURE_COOKIES: 'true',
      PREFDISCO_TRUST_PROXY: '1',
      PREFDISCO_ALLOWED_ORIGINS: ' https://a.example/ , http://b.example:8080',
      PREFDISCO_ADMIN_USERNAME: 'admin',
      PREFDISCO_ADMIN_PASSWORD: '',
    });
    expect(config).toMatchObject({
      cookieSecret: 's'.repeat(32),
      secureCookies: true,
      trustProxy: 1,
      allowedOrigins: ['https://a.example', 'http://b.example:8080'],
      adminUsername: 'admin',
      adminPassword: null,
    });
  });

  it('PREFDISCO_TRUST_PROXY names the proxy: off, a hop count, or addresses/CIDRs; `true` is refused', () => {
    const trust = (value: string) => loadConfig({ PREFDISCO_TRUST_PROXY: value }).trustProxy;
    expect(trust('false')).toBe(false);
    expect(trust('0')).toBe(false);
    expect(trust('2')).toBe(2);
    expect(trust(' 127.0.0.1, ::1 ')).toEqual(['127.0.0.1', '::1']);
    expect(trust('10.0.0.0/8,fd00::/8,loopback')).toEqual(['10.0.0.0/8', 'fd00::/8', 'loopback']);
    expect(() => trust('true')).toThrowError(ConfigError);
    expect(() => trust('true')).toThrowError(
      /PREFDISCO_TRUST_PROXY: "true" would trust every hop.*127\.0\.0\.1,::1.*\(1\)/s,
    );
    expect(() => trust('yes')).toThrowError(/every hop/);
    expect(() => trust('proxy.example')).toThrowError(/"proxy\.example" is not an IP address or CIDR/);
    expect(() => trust('10.0.0.0/33')).toThrowError(/"10\.0\.0\.0\/33"/);
  });

  it('names a short cookie secret and an origin that is not a URL', () => {
    expect(() => loadConfig({ PREFDISCO_COOKIE_SECRET: 'short' })).toThrowError(
      /PREFDISCO_COOKIE_SECRET: must have at least 32/,
    );
    expect(() => loadConfig({ PREFDISCO_ALLOWED_ORIGINS: 'partner.example' })).toThrowError(ConfigError);
    expect(() => loadConfig({ PREFDISCO_ALLOWED_ORIGINS: 'ftp://x.example' })).toThrowError(/ftp:\/\/x\.example/);
  });
});
