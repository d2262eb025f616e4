import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "@tanstack/react-router";
import type { MouseEvent } from "react";
import { markRead, type NotificationView, notificationKeys } from "./api.ts";

/** Opening a notification marks it read and goes to what it is about (a plain click stays inside the app). */
export function useFollowNotification(n: NotificationView, onFollow?: () => void) {
  const router = useRouter();
  const queryClient = useQueryClient();
  return (event: MouseEvent<HTMLAnchorElement>) => {
    if (n.readAt === null)
      void markRead(n.id).then(() => queryClient.invalidateQueries({ queryKey: notificationKeys.all }));
    onFollow?.();
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    void router.navigate({ href: n.link });
  };
}
