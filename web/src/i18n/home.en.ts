import type { HomeMessages } from "./home.vi.ts";

/** English strings of the home page, the landing page and notifications. */
export const homeEn: HomeMessages = {
  title: "To do",
  today: "Today {{date}}",
  intro: "What is due, overdue and returned, overdue first.",
  empty: "Nothing is waiting for you. When a report falls due or is returned, it shows here.",
  listLabel: "To-do list",
  due: "Due {{date}}",
  noDue: "No due date",
  overdueBy_one: "1 day overdue",
  overdueBy_other: "{{count}} days overdue",
  dueIn_one: "1 day left",
  dueIn_other: "{{count}} days left",
  dueToday: "due today",
  reason: "Reason: {{reason}}",
  open: "Open",
  state: {
    overdue: "Overdue",
    returned: "Returned",
    awaiting_approval: "Awaiting approval",
    awaiting_answer: "Awaiting answer",
    due: "Due",
  },
  counts: {
    overdue: "{{count}} overdue",
    returned: "{{count}} returned",
    awaiting: "{{count}} waiting for you",
    due: "{{count}} due",
  },
  remindDone: "Reminder sent to {{recipients}} officers of {{units}} units.",
  remindNone: "The {{units}} units were already reminded today; nothing sent again.",
  landing: {
    title: "Grassroots — governance information for local government",
    lead: "Open-source software for two-level local government: communes report; the province follows, compares and steers; nothing is lost.",
    forCommune:
      "Commune officers: see which report is due, enter figures even on a weak connection, hear when a report is returned.",
    forProvince:
      "Province officers: approve reports, remind late communes, read figures with how complete they are.",
    forEveryone:
      "Everyone: look up the 34 provinces and 3,321 communes after the reorganisation of 1 July 2025.",
    signIn: "Sign in",
    howToSignIn:
      "Accounts are given by your province's administrator. Without one, contact the provincial People's Committee office.",
    browseUnits: "Browse administrative units",
  },
  bell: {
    label: "Notifications",
    labelUnread: "Notifications, {{count}} unread",
    heading: "Notifications",
    empty: "No notifications yet.",
    markAllRead: "Mark all read",
    seeAll: "See all notifications",
    unread: "Unread",
  },
  list: {
    title: "Notifications",
    onlyUnread: "Show unread only",
    markRead: "Mark read",
    more: "Show more",
    empty: "No notifications.",
    emptyUnread: "You have read everything.",
  },
  email: {
    heading: "Notifications by e-mail",
    intro:
      "Notifications always show in the app. Choose which also reach you by e-mail: at most one digest a day, except returned reports, which are sent at once.",
    address: "E-mail address",
    addressHint: "Leave empty to receive no e-mail.",
    kinds: "Send by e-mail",
    kind: {
      returned: "Report returned (sent at once)",
      approved: "Report approved",
      due_soon: "Report due soon",
      overdue: "Report overdue",
      reminder: "Reminders from the province",
      other: "Other notifications (proposals, tasks…)",
    },
    save: "Save choices",
    saved: "Saved.",
    invalidAddress: "Not a valid e-mail address.",
  },
};
