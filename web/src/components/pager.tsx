import { Button, Group, Text } from "@mantine/core";
import { formatNumber } from "../lib/format.ts";

/** The words of a pager, in the reader's language, from the page's own namespace. */
export interface PagerText {
  /** The navigation landmark's name ("Phân trang nhật ký"). */
  label: string;
  shown: (range: { from: string; to: string; total: string }) => string;
  page: (at: { page: string; pages: string }) => string;
  previous: string;
  next: string;
}

/** "Showing 51–100 of 1,234" and previous / next, for a list the server pages. */
export function Pager({
  page,
  pageSize,
  total,
  shown,
  onPage,
  text,
}: {
  page: number;
  pageSize: number;
  total: number;
  shown: number;
  onPage: (page: number) => void;
  text: PagerText;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = (page - 1) * pageSize + 1;
  return (
    <Group justify="space-between" gap="sm" component="nav" aria-label={text.label}>
      <Text size="sm" c="dimmed">
        {text.shown({
          from: formatNumber(first),
          to: formatNumber(first + shown - 1),
          total: formatNumber(total),
        })}
      </Text>
      {pages > 1 && (
        <Group gap="xs">
          <Button variant="default" size="sm" disabled={page <= 1} onClick={() => onPage(page - 1)}>
            {text.previous}
          </Button>
          <Text size="sm" aria-current="page">
            {text.page({ page: formatNumber(page), pages: formatNumber(pages) })}
          </Text>
          <Button variant="default" size="sm" disabled={page >= pages} onClick={() => onPage(page + 1)}>
            {text.next}
          </Button>
        </Group>
      )}
    </Group>
  );
}
