/** Rows shaped like what the field database seals: a small status row and a full checklist draft. */
export function sampleRows(): Record<string, unknown> {
  const items = Array.from({ length: 30 }, (_, i) => ({
    itemId: `ITEM-${String(i).padStart(3, '0')}`,
    outcome: i % 7 === 0 ? 'problem' : 'ok',
    methods: ['现场检查', '查阅资料'],
    note: i % 7 === 0 ? '现场发现部分食品原料未按规定标注保质期，已当场责令整改。' : '',
    legalBasis: i % 7 === 0 ? ['《中华人民共和国食品安全法》第五十四条'] : [],
  }));
  return {
    small: {
      id: 'T-000001',
      status: 'in_progress',
      updatedAt: 1_767_000_000_000,
      inspectorId: '3710021001121',
      note: '企业负责人在场',
    },
    draft: {
      id: 'T-000001',
      status: 'in_progress',
      updatedAt: 1_767_000_000_000,
      inspectorId: '3710021001121',
      enterprise: {
        uscc: '91370200MA3C4X1Y2K',
        name: '青岛某某食品有限公司',
        address: '山东省青岛市市南区香港中路 100 号',
      },
      items,
      resultCodes: ['责令改正'],
      photoIds: ['P-1', 'P-2', 'P-3'],
      signature: new Uint8Array(1500).fill(3),
    },
  };
}
