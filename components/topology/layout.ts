// Geometry of the topology picture (pure): node boxes in connection-list order, each SIP server
// above the node it uses, replication arrows between node boxes.

export const W = 760;
export const NODE = { w: 150, h: 76, y: 150 };
export const SIP = { w: 120, h: 46, y: 24 };

export function nodeX(i: number, count: number): number {
  const gap = (W - count * NODE.w) / (count + 1);
  return gap + i * (NODE.w + gap);
}

/** Path of the arrow from node i to node j: neighbours get straight lines, one above the other
 * per direction; far pairs (a ring closing) a curve under the boxes. */
export function arrowPath(i: number, j: number, count: number): string {
  const fx = nodeX(i, count);
  const tx = nodeX(j, count);
  const cy = NODE.y + NODE.h / 2;
  if (Math.abs(i - j) === 1) {
    const forward = j > i;
    const y = cy + (forward ? -12 : 12);
    const x1 = forward ? fx + NODE.w : fx;
    const x2 = forward ? tx - 6 : tx + NODE.w + 6;
    return `M ${x1} ${y} L ${x2} ${y}`;
  }
  const x1 = fx + NODE.w / 2;
  const x2 = tx + NODE.w / 2;
  const bottom = NODE.y + NODE.h;
  return `M ${x1} ${bottom} C ${x1} ${bottom + 70}, ${x2} ${bottom + 70}, ${x2} ${bottom + 8}`;
}

/** Where an arrow's words go. */
export function arrowLabel(i: number, j: number, count: number): { x: number; y: number } {
  const fx = nodeX(i, count) + NODE.w / 2;
  const tx = nodeX(j, count) + NODE.w / 2;
  if (Math.abs(i - j) === 1) return { x: (fx + tx) / 2, y: NODE.y + NODE.h / 2 + (j > i ? -18 : 26) };
  return { x: (fx + tx) / 2, y: NODE.y + NODE.h + 64 };
}
