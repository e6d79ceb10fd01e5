/**
 * One chart with what every chart needs: a title, the same numbers as a table behind a toggle
 * (screen readers and copy-paste), and Save PNG / Save SVG. The SVG is rendered by a separate
 * server-side-style SVG instance so the on-screen chart can stay on the faster canvas renderer.
 */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { echarts, type ChartOption } from './echarts';

export interface ChartTable {
  columns: string[];
  rows: (string | number)[][];
}

const WIDTH = 720;
const HEIGHT = 320;

function download(name: string, href: string) {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

function fileStem(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'chart'
  );
}

export function ChartFrame({
  title,
  option,
  table,
  testId,
  note,
}: {
  title: string;
  option: ChartOption;
  table: ChartTable;
  testId: string;
  note?: ReactNode;
}) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);
  const [showTable, setShowTable] = useState(false);
  const tableId = useId();

  useEffect(() => {
    if (!host.current) return;
    const c = echarts.init(host.current, undefined, { renderer: 'canvas', width: WIDTH, height: HEIGHT });
    chart.current = c;
    return () => {
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ animation: false, ...option }, true);
  }, [option]);

  const savePng = () => {
    const url = chart.current?.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' });
    if (url) download(`${fileStem(title)}.png`, url);
  };
  const saveSvg = () => {
    // A throwaway SVG instance renders the same option to a string; no DOM node needed.
    const svg = echarts.init(null as unknown as HTMLElement, undefined, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
    svg.setOption({ animation: false, backgroundColor: '#ffffff', ...option });
    const text = svg.renderToSVGString();
    svg.dispose();
    download(`${fileStem(title)}.svg`, URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' })));
  };

  return (
    <figure className="lb-chart" data-testid={testId}>
      <figcaption className="lb-chart-head">
        <span className="lb-chart-title">{title}</span>
        <span className="lb-chart-actions">
          <button
            type="button"
            className="button"
            aria-expanded={showTable}
            aria-controls={tableId}
            onClick={() => setShowTable(!showTable)}
            data-testid={`${testId}-table-toggle`}
          >
            {showTable ? 'Hide table' : 'Show as table'}
          </button>
          <button type="button" className="button" onClick={savePng} data-testid={`${testId}-png`}>
            Save PNG
          </button>
          <button type="button" className="button" onClick={saveSvg} data-testid={`${testId}-svg`}>
            Save SVG
          </button>
        </span>
      </figcaption>
      {note ? <p className="muted lb-chart-note">{note}</p> : null}
      <div
        ref={host}
        className="lb-chart-canvas"
        role="img"
        aria-label={`${title} (chart; the same numbers are available as a table)`}
        style={{ width: WIDTH, height: HEIGHT }}
      />
      <div id={tableId} hidden={!showTable}>
        {showTable ? (
          <table className="compare-stats-table lb-chart-table" data-testid={`${testId}-table`}>
            <caption>{title}</caption>
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th scope="col" key={c}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((r, i) => (
                <tr key={i}>
                  {r.map((v, j) =>
                    j === 0 ? (
                      <th scope="row" key={j}>
                        {v}
                      </th>
                    ) : (
                      <td key={j}>{v}</td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
    </figure>
  );
}
