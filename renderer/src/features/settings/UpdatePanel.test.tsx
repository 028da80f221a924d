import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { UpdatePanel } from './UpdatePanel.js';

const g = globalThis as Record<string, unknown>;
afterEach(() => {
  delete g.api;
});

describe('设置 → 软件更新', () => {
  it('in the browser build says updates come with the server and offers no install', () => {
    const html = renderToStaticMarkup(<UpdatePanel />);
    expect(html).toContain('浏览器版随服务器一起更新');
    expect(html).not.toContain('从文件夹安装更新');
  });

  it('in Electron offers to install from a folder', () => {
    g.api = { appInfo: async () => ({ ok: false, error: { code: 'INTERNAL', message: 'x' } }) };
    const html = renderToStaticMarkup(<UpdatePanel />);
    expect(html).toContain('从文件夹安装更新…');
    expect(html).toContain('当前版本');
  });
});
