import { useState } from 'react';
import type { FacetCount } from '../../../../shared/domain';
import { formatCount } from '../../lib/format';
import { FACET_NAMES, useSearch, type FacetName } from './searchStore';

const LABELS: Record<FacetName, string> = {
  benchmark: 'Benchmark',
  category: 'Category',
  task: 'Task',
  split: 'Split',
  config: 'Config',
  language: 'Language',
};

/** Values shown before "more"; a chosen value is always shown. */
const SHOWN = 6;

export function SearchFacets() {
  const facets = useSearch((s) => s.facets);
  const filters = useSearch((s) => s.filters);
  // Without an answer (an error) the chosen filters still show, so they can be undone.
  if (!facets && Object.keys(filters).length === 0) return null;
  return (
    <div className="search-facets" data-testid="search-facets" aria-label="Filter the matches">
      {FACET_NAMES.map((name) => (
        <FacetGroup key={name} name={name} values={facets?.[name] ?? []} chosen={filters[name]} />
      ))}
    </div>
  );
}

interface FacetGroupProps {
  name: FacetName;
  values: FacetCount[];
  chosen: string | undefined;
}

function FacetGroup({ name, values, chosen }: FacetGroupProps) {
  const [expanded, setExpanded] = useState(false);
  const counting = useSearch((s) => s.counting);
  const toggleFacet = useSearch.getState().toggleFacet;
  // A chosen value with no matches left (another filter removed them) must stay visible to be undone.
  const all = chosen !== undefined && !values.some((v) => v.value === chosen) ? [{ value: chosen, count: 0, exact: true }, ...values] : values;
  if (all.length === 0) return null;
  const shown = expanded ? all : all.filter((v, i) => i < SHOWN || v.value === chosen);
  const hidden = all.length - shown.length;

  return (
    <div className="facet" role="group" aria-label={LABELS[name]}>
      <span className="facet-name">{LABELS[name]}</span>
      <div className="facet-values">
        {shown.map((v) => {
          const pressed = v.value === chosen;
          return (
            <button
              key={v.value}
              type="button"
              className="facet-value"
              data-testid="facet-value"
              data-facet={name}
              data-value={v.value}
              aria-pressed={pressed}
              title={pressed ? `Remove the filter ${LABELS[name].toLowerCase()} = ${v.value}` : `Only ${v.value}`}
              onClick={() => toggleFacet(name, v.value)}
            >
              <span className="facet-label">{v.value}</span>
              {/* A lower bound is never shown as a count: "counting…" until searchFacets answers, "N+" if it could not. */}
              <span className="facet-count" data-exact={v.exact === false ? 'false' : 'true'}>
                {v.exact === false ? (counting ? 'counting…' : `${formatCount(v.count)}+`) : formatCount(v.count)}
              </span>
            </button>
          );
        })}
        {hidden > 0 && (
          <button type="button" className="link-button facet-more" onClick={() => setExpanded(true)}>
            +{formatCount(hidden)} more
          </button>
        )}
        {expanded && all.length > SHOWN && (
          <button type="button" className="link-button facet-more" onClick={() => setExpanded(false)}>
            fewer
          </button>
        )}
      </div>
    </div>
  );
}
