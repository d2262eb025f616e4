import { queryOptions } from "@tanstack/react-query";
import type { NotificationView, SettingsView } from "../../../../src/modules/notifications/operations.ts";
import { getJson, sendJson } from "../../api/client.ts";

/** Shapes from the server's operations (src/modules/notifications/operations.ts): one contract. */
export type { NotificationView, SettingsView } from "../../../../src/modules/notifications/operations.ts";

export interface NotificationPage {
  items: NotificationView[];
  hasMore: boolean;
  unread: number;
}

export const notificationKeys = {
  all: ["notifications"] as const,
  unread: ["notifications", "unread"] as const,
  list: (onlyUnread: boolean, limit: number) => ["notifications", "list", onlyUnread, limit] as const,
  settings: ["notifications", "settings"] as const,
};

/** The bell's number, asked again every minute and when the person comes back to the tab. */
export function unreadQuery() {
  return queryOptions({
    queryKey: notificationKeys.unread,
    queryFn: ({ signal }) => getJson<{ unread: number }>("/notifications/unread-count", {}, signal),
    refetchInterval: 60_000,
    refetchOnWindowFocus: true,
    staleTime: 20_000,
  });
}

export function notificationsQuery(onlyUnread: boolean, limit: number) {
  return queryOptions({
    queryKey: notificationKeys.list(onlyUnread, limit),
    queryFn: ({ signal }) =>
      getJson<NotificationPage>("/notifications", { unread: String(onlyUnread), limit }, signal),
  });
}

export const markRead = (id: number) => sendJson<{ unread: number }>("POST", `/notifications/${id}/read`);
export const markAllRead = () => sendJson<{ unread: number }>("POST", "/notifications/read-all");

export function settingsQuery() {
  return queryOptions({
    queryKey: notificationKeys.settings,
    queryFn: ({ signal }) => getJson<SettingsView>("/notifications/settings", {}, signal),
  });
}

export const saveSettings = (input: {
  email: string | null;
  emailKinds: string[];
  expectedVersion: number;
}) => sendJson<SettingsView>("PUT", "/notifications/settings", input);
