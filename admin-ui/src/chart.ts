const svgNs = 'http://www.w3.org/2000/svg';

export const statusClasses = ['1xx', '2xx', '3xx', '4xx', '5xx', 'other'] as const;

export type Sample = Record<string, number>;

/** A small stacked bar chart of request rates per status class, newest on the right. */
export function rateChart(samples: Sample[], label: string, slots = 60): SVGSVGElement {
  const width = 300;
  const height = 56;
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'chart');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);

  const peak = Math.max(1, ...samples.map((sample) => Object.values(sample).reduce((a, b) => a + b, 0)));
  const barWidth = width / slots;
  samples.slice(-slots).forEach((sample, index, shown) => {
    const x = width - (shown.length - index) * barWidth;
    let y = height;
    for (const statusClass of statusClasses) {
      const value = sample[statusClass] ?? 0;
      if (value <= 0) continue;
      const barHeight = (value / peak) * (height - 2);
      y -= barHeight;
      const rect = document.createElementNS(svgNs, 'rect');
      rect.setAttribute('x', x.toFixed(1));
      rect.setAttribute('y', y.toFixed(1));
      rect.setAttribute('width', Math.max(barWidth - 1, 1).toFixed(1));
      rect.setAttribute('height', barHeight.toFixed(1));
      rect.setAttribute('class', `bar-${statusClass}`);
      svg.appendChild(rect);
    }
  });
  const axis = document.createElementNS(svgNs, 'line');
  axis.setAttribute('x1', '0');
  axis.setAttribute('x2', String(width));
  axis.setAttribute('y1', String(height - 0.5));
  axis.setAttribute('y2', String(height - 0.5));
  axis.setAttribute('class', 'axis');
  svg.appendChild(axis);
  return svg;
}
