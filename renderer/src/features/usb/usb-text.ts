/** zh-CN wording of the USB transfer screen. */
import type { UsbProgress } from '../../services/index.js';

const STEP: Record<UsbProgress['step'], string> = {
  collect: '正在读取结果和证据',
  seal: '正在加密打包',
  verify: '正在核验回执',
  apply: '正在保存回执',
};

export function progressText(p: UsbProgress): string {
  const share = p.total > 0 ? Math.floor((p.done / p.total) * 100) : 0;
  return p.step === 'seal' ? `${STEP.seal} ${share}%` : `${STEP[p.step]}（${p.done}/${p.total}）`;
}

export function exportedText(count: number, saved: string): string {
  return `已导出 ${count} 条待上传结果。${saved}。这些结果仍在“待上传”中，平台回执导入后才算上传完成。`;
}

export function receiptsText(marked: number, published: number): string {
  if (marked === 0) return '回执已核验，这些结果此前已标记为平台已接收。';
  return `回执已核验：${marked} 条结果已被平台接收${published > 0 ? `（其中 ${published} 条已公示）` : ''}。`;
}
