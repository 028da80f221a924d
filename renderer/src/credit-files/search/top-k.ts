/** The best k (document, score) pairs of a stream, in O(n log k) with a small binary min-heap. */
export class TopK {
  private readonly docs: number[] = [];
  private readonly scores: number[] = [];

  /** `tie` picks which of two equal-score documents ranks first (stable, deterministic order). */
  constructor(
    readonly k: number,
    private readonly tie: (a: number, b: number) => number,
  ) {}

  /** False when a document of this score cannot enter (the heap is full of better ones): skip scoring it. */
  accepts(score: number): boolean {
    return this.k > 0 && (this.docs.length < this.k || score >= this.scores[0]!);
  }

  /** The lowest score that may still enter (-Infinity until the heap is full): below it, \`wants\` is false. */
  floor(): number {
    if (this.k <= 0) return Infinity;
    return this.docs.length < this.k ? -Infinity : this.scores[0]!;
  }

  /** Whether offering this document would change the heap (exact, ties included). */
  wants(doc: number, score: number): boolean {
    if (this.k <= 0) return false;
    if (this.docs.length < this.k) return true;
    return this.better(doc, score, this.docs[0]!, this.scores[0]!);
  }

  offer(doc: number, score: number): void {
    if (this.k <= 0) return;
    if (this.docs.length < this.k) {
      this.docs.push(doc);
      this.scores.push(score);
      this.up(this.docs.length - 1);
    } else if (this.better(doc, score, this.docs[0]!, this.scores[0]!)) {
      this.docs[0] = doc;
      this.scores[0] = score;
      this.down(0);
    }
  }

  sorted(): [number, number][] {
    const pairs = this.docs.map((d, i): [number, number] => [d, this.scores[i]!]);
    return pairs.sort((a, b) => (this.better(a[0], a[1], b[0], b[1]) ? -1 : 1));
  }

  private better(d1: number, s1: number, d2: number, s2: number): boolean {
    return s1 > s2 || (s1 === s2 && d1 !== d2 && this.tie(d1, d2) === d1);
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.better(this.docs[p]!, this.scores[p]!, this.docs[i]!, this.scores[i]!)) break;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.docs.length && this.better(this.docs[m]!, this.scores[m]!, this.docs[l]!, this.scores[l]!)) m = l;
      if (r < this.docs.length && this.better(this.docs[m]!, this.scores[m]!, this.docs[r]!, this.scores[r]!)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(a: number, b: number): void {
    [this.docs[a], this.docs[b]] = [this.docs[b]!, this.docs[a]!];
    [this.scores[a], this.scores[b]] = [this.scores[b]!, this.scores[a]!];
  }
}
