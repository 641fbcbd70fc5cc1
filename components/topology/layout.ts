// Geometry of the topology picture (pure): node boxes in connection-list order, each SIP server
// above the node it uses, replication arrows between node boxes.

export const NODE = { w: 150, h: 76, y: 150 };
export const SIP = { w: 120, h: 46, y: 24 };
// Room between two boxes for an arrow and its two-line label ("d1→d2" / "error 1062").
const MIN_GAP = 96;

/** Width of the picture: 760 for two nodes, wider for a ring so neighbour labels never touch a box. */
export function width(count: number): number {
  return Math.max(760, count * NODE.w + (count + 1) * MIN_GAP);
}

export function nodeX(i: number, count: number): number {
  const gap = (width(count) - count * NODE.w) / (count + 1);
  return gap + i * (NODE.w + gap);
}

/** How far the ring's closing curve dips under the boxes (its lowest point is 3/4 of this). */
export const DIP = 70;

/** Path of the arrow from node i to node j: neighbours get straight lines, one above the other
 * per direction; far pairs (a ring closing) a curve under the boxes, ending just below the
 * target box so the arrow head stays outside it. */
export function arrowPath(i: number, j: number, count: number): string {
  const fx = nodeX(i, count);
  const tx = nodeX(j, count);
  const cy = NODE.y + NODE.h / 2;
  if (Math.abs(i - j) === 1) {
    const forward = j > i;
    const y = cy + (forward ? -12 : 12);
    const x1 = forward ? fx + NODE.w : fx;
    const x2 = forward ? tx - 4 : tx + NODE.w + 4;
    return `M ${x1} ${y} L ${x2} ${y}`;
  }
  const x1 = fx + NODE.w / 2;
  const x2 = tx + NODE.w / 2;
  const bottom = NODE.y + NODE.h;
  return `M ${x1} ${bottom} C ${x1} ${bottom + DIP}, ${x2} ${bottom + DIP}, ${x2} ${bottom + 4}`;
}

/** Where an arrow's two lines of words go (name line first, state line second): above a
 * forward arrow, below a backward one, under the lowest point of a ring's closing curve. */
export function arrowLabel(i: number, j: number, count: number): { x: number; y: number; stacked: boolean } {
  const fx = nodeX(i, count) + NODE.w / 2;
  const tx = nodeX(j, count) + NODE.w / 2;
  const cy = NODE.y + NODE.h / 2;
  if (Math.abs(i - j) === 1)
    return j > i
      ? { x: (fx + tx) / 2, y: cy - 34, stacked: true }
      : { x: (fx + tx) / 2, y: cy + 30, stacked: true };
  return { x: (fx + tx) / 2, y: NODE.y + NODE.h + DIP * 0.75 + 16, stacked: false };
}
