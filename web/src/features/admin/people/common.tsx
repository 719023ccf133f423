// What the people sections share: the filter bar with visible labels, the empty list that says what
// to do, the list paged by the API, and a change to the API that reads the affected lists (and the audit log) again.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Badge, Empty, Flex, Form, Table, Typography, type TableProps } from 'antd';
import type { TFunction } from 'i18next';
import { useEffect, useState, type ReactNode } from 'react';
import { ErrorNotice } from '../../../shared/error-notice';
import { pagerOf } from '../../../shared/format';

/** A change through the API; on success the lists under `keys` and the audit log are read again. */
export function useChange<A, R>(call: (args: A) => Promise<R>, ...keys: string[][]) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: () => Promise.all([...keys, ['admin', 'audit']].map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}

/** The value once it has stopped changing for a moment (a filter typed into). */
export function useSettled<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** A status in words beside a coloured dot (a coloured tag's text is too pale to read). */
export function Status({ ok, text }: { ok: boolean; text: string }) {
  return <Badge status={ok ? 'success' : 'default'} text={text} />;
}

/** The column of a record's `active` flag, in words. */
export function activeColumn(t: TFunction) {
  return { title: t('admin.people.common.status'), dataIndex: 'active', render: (on: boolean) => (
    <Status ok={on} text={t(on ? 'admin.people.common.active' : 'admin.people.common.inactive')} />) };
}

/** A cell's value with a smaller, secondary line under it (a code, a kind, a time). */
export function TwoLines({ main, sub }: { main: ReactNode; sub: ReactNode }) {
  return <>{main}<br /><Typography.Text type="secondary" style={{ fontSize: 12 }}>{sub}</Typography.Text></>;
}

/** Filters with their labels in view, on one line that wraps, and the section's main action at the end. */
export function FilterBar<V extends object>({ name, onChange, children, action }: {
  name: string; onChange: (values: V) => void; children: ReactNode; action?: ReactNode;
}) {
  return (
    <Flex justify="space-between" align="start" gap={16} wrap style={{ marginBottom: 16 }}>
      <Form<V> name={name} layout="inline" onValuesChange={(_, all) => onChange(all)} style={{ rowGap: 8, flex: 1 }}>
        {children}
      </Form>
      {action}
    </Flex>
  );
}

/** What an empty list shows: that nothing matches, and what to do about it. */
export function emptyText(title: string, hint: string) {
  return (
    <Empty description={<><Typography.Text>{title}</Typography.Text><br /><Typography.Text type="secondary">{hint}</Typography.Text></>} />
  );
}

/** A page of the API in a table: its refusal in words, its pager, and what to do when it is empty. */
export function PagedTable<T extends object>({ query, emptyTitle, emptyHint, onPage, ...props }: TableProps<T> & {
  query: { error: unknown; isFetching: boolean; data?: { items: T[]; limit: number; offset: number; total: number } };
  emptyTitle: string; emptyHint: string; onPage: (offset: number, limit: number) => void;
}) {
  return (
    <>
      {query.error ? <ErrorNotice error={query.error} /> : null}
      <Table<T> rowKey="id" loading={query.isFetching} dataSource={query.data?.items ?? []} locale={{ emptyText: emptyText(emptyTitle, emptyHint) }}
        pagination={pagerOf(query.data, onPage)} {...props} />
    </>
  );
}
