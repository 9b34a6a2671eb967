'use client';

import type { EChartsOption } from 'echarts';
import type ReactEChartsCore from 'echarts-for-react/lib/core';
import { useRef } from 'react';
import type { ReactNode } from 'react';
import { EChart } from '@/components/echart';
import { toCsv } from '../lib/csv';

function download(name: string, href: string) {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.click();
}

/** One chart with its title and PNG/CSV export; `csv` is the prepared data as rows. */
export function ChartPanel(props: {
  id: string;
  title: string;
  subtitle?: ReactNode;
  option: EChartsOption;
  csv: { header: string[]; rows: (string | number | null)[][] };
  empty: string | null;
  height?: number;
}) {
  const chart = useRef<ReactEChartsCore>(null);
  return (
    <section className="panel" data-testid={`chart-${props.id}`}>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 style={{ margin: 0 }}>{props.title}</h2>
        <div className="row">
          <button
            type="button"
            className="secondary"
            onClick={() => {
              const url = chart.current
                ?.getEchartsInstance()
                .getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
              if (url) download(`weft-${props.id}.png`, url);
            }}
          >
            PNG
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              const blob = new Blob([toCsv(props.csv.header, props.csv.rows)], {
                type: 'text/csv',
              });
              const url = URL.createObjectURL(blob);
              download(`weft-${props.id}.csv`, url);
              URL.revokeObjectURL(url);
            }}
          >
            CSV
          </button>
        </div>
      </div>
      {props.subtitle && (
        <p className="muted" style={{ margin: '0.25rem 0' }}>
          {props.subtitle}
        </p>
      )}
      {props.empty ? (
        <p className="notice">{props.empty}</p>
      ) : (
        <EChart
          ref={chart}
          option={props.option}
          height={props.height ?? 300}
          label={props.title}
        />
      )}
    </section>
  );
}
