import './leads.css';
import { Link, useSearchParams } from 'react-router';
import { Column, DataTable } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../format';
import { useCursorList } from '../../hooks/useCursorList';
import { ConsentBadges } from './ConsentBadges';
import { filtersFromSearch, LeadFilters, toQuery } from './LeadFilters';
import { Lead, leadName } from './types';

const COLUMNS: Column<Lead>[] = [
  {
    key: 'name',
    header: 'Name',
    cell: (l) => <Link to={`/leads/${l.id}`}>{leadName(l) || l.email || l.phone}</Link>,
  },
  { key: 'email', header: 'Email', cell: (l) => l.email ?? '—' },
  { key: 'phone', header: 'Phone', cell: (l) => l.phone ?? '—', secondary: true },
  { key: 'consent', header: 'Consent', cell: (l) => <ConsentBadges consent={l.consent} />, secondary: true },
  { key: 'created', header: 'Created', cell: (l) => formatDateTime(l.createdAt), secondary: true },
];

/** Everyone campaigns can reach: searchable and filterable, the filters kept in the address so a view can be shared. */
export function LeadsPage() {
  const [search, setSearch] = useSearchParams();
  const filters = filtersFromSearch(search);
  const query = toQuery(filters);
  const list = useCursorList<Lead>(['leads'], '/leads', query);
  const filtered = Object.keys(query).length > 0;
  return (
    <div className="page page-wide">
      <PageHeader
        title="Leads"
        subtitle="The people your campaigns reach. Leads are matched by email or phone, so importing the same person again updates them."
        actions={
          <Link className="btn btn-primary" to="/leads/import">
            Import CSV
          </Link>
        }
      />
      <LeadFilters value={filters} onApply={(f) => setSearch(f, { replace: true })} />
      <DataTable
        caption="Leads"
        columns={COLUMNS}
        rows={list.items}
        rowKey={(l) => l.id}
        rowTestId="lead-row"
        isLoading={list.isPending}
        error={list.error}
        empty={
          filtered ? (
            <EmptyState title="No lead matches these filters">Change or clear the filters to see more.</EmptyState>
          ) : (
            <EmptyState
              title="No leads yet"
              action={
                <Link className="btn btn-primary" to="/leads/import">
                  Import a CSV
                </Link>
              }
            >
              Import a CSV of the people you want to reach, or add them through the API (POST /api/v1/leads).
            </EmptyState>
          )
        }
        footer={
          list.hasNextPage || list.isFetchingNextPage ? (
            <button type="button" className="btn" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          ) : list.items && list.items.length > 0 ? (
            <span>{list.items.length.toLocaleString()} shown</span>
          ) : undefined
        }
      />
    </div>
  );
}
