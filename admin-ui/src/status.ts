import type { Levels, PeerStatus, StatusReport } from './types';

/** The one status a peer row shows: why traffic avoids it first, then its heartbeat's verdict. */
export function peerStatus(peer: PeerStatus): string {
  if (peer.outlier?.ejected) return 'ejected';
  if (peer.passive?.status === 'down') return 'passive-down';
  return peer.status;
}

export function statusClass(status: string): string {
  switch (status) {
    case 'ok': return 'ok';
    case 'unstable':
    case 'unchecked': return 'warn';
    default: return 'err';
  }
}

/** "web:127.0.0.1:8081" → "127.0.0.1:8081" (the upstream name may itself contain colons? no: names are [-_a-zA-Z0-9.]). */
export function peerAddress(peer: PeerStatus): string {
  const first = peer.server.indexOf(':');
  return first < 0 ? peer.server : peer.server.slice(first + 1);
}

export function levelsOf(report: StatusReport, upstream: string): Array<{ name: string; peers: PeerStatus[] }> {
  const levels: Levels | undefined = report[`cls:${upstream}`];
  if (!levels) return [];
  return Array.isArray(levels)
    ? levels.map((peers, index) => ({ name: `level ${index + 1}`, peers }))
    : Object.entries(levels).map(([name, peers]) => ({ name, peers }));
}
