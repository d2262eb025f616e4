/**
 * Vietnamese strings of the home page, the landing page and notifications (namespace "home"). `home.en.ts` must have
 * the same keys.
 */
export const homeVi = {
  title: "Việc cần làm",
  today: "Hôm nay {{date}}",
  intro: "Những việc đến hạn, quá hạn và bị trả lại, việc quá hạn lên đầu.",
  empty: "Không có việc nào đang chờ bạn. Khi có báo cáo đến hạn hoặc bị trả lại, việc sẽ hiện ở đây.",
  listLabel: "Danh sách việc cần làm",
  due: "Hạn {{date}}",
  noDue: "Không có hạn",
  overdueBy_other: "quá hạn {{count}} ngày",
  dueIn_other: "còn {{count}} ngày",
  dueToday: "hạn hôm nay",
  reason: "Lý do: {{reason}}",
  open: "Mở",
  state: {
    overdue: "Quá hạn",
    returned: "Bị trả lại",
    awaiting_approval: "Chờ duyệt",
    awaiting_answer: "Chờ trả lời",
    due: "Đến hạn",
  },
  counts: {
    overdue: "{{count}} quá hạn",
    returned: "{{count}} bị trả lại",
    awaiting: "{{count}} chờ bạn xử lý",
    due: "{{count}} sắp đến hạn",
  },
  remindDone: "Đã gửi nhắc nhở tới {{recipients}} cán bộ của {{units}} đơn vị.",
  remindNone: "{{units}} đơn vị đã được nhắc hôm nay; không gửi lại.",
  landing: {
    title: "Grassroots — thông tin quản trị cấp cơ sở",
    lead: "Hệ thống mã nguồn mở cho chính quyền hai cấp: xã báo cáo, tỉnh theo dõi, so sánh và chỉ đạo; không việc gì bị bỏ sót.",
    forCommune:
      "Cán bộ xã: xem báo cáo nào đến hạn, nhập số liệu cả khi mạng yếu, nhận thông báo khi báo cáo bị trả lại.",
    forProvince: "Cán bộ tỉnh: duyệt báo cáo, nhắc các xã chậm nộp, xem số liệu tổng hợp kèm mức độ đầy đủ.",
    forEveryone:
      "Mọi người: tra cứu 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu sau sắp xếp ngày 01/7/2025.",
    signIn: "Đăng nhập",
    howToSignIn:
      "Tài khoản do quản trị viên của tỉnh cấp. Chưa có tài khoản, hãy liên hệ Văn phòng UBND tỉnh.",
    browseUnits: "Tra cứu đơn vị hành chính",
  },
  bell: {
    label: "Thông báo",
    labelUnread: "Thông báo, {{count}} chưa đọc",
    heading: "Thông báo",
    empty: "Chưa có thông báo nào.",
    markAllRead: "Đánh dấu tất cả đã đọc",
    seeAll: "Xem tất cả thông báo",
    unread: "Chưa đọc",
  },
  list: {
    title: "Thông báo",
    onlyUnread: "Chỉ hiện thông báo chưa đọc",
    markRead: "Đánh dấu đã đọc",
    more: "Xem thêm",
    empty: "Không có thông báo nào.",
    emptyUnread: "Bạn đã đọc hết thông báo.",
  },
  email: {
    heading: "Thông báo qua e-mail",
    intro:
      "Thông báo luôn hiện trong ứng dụng. Chọn loại nào được gửi thêm qua e-mail: tối đa một thư tổng hợp mỗi ngày, riêng báo cáo bị trả lại được gửi ngay.",
    address: "Địa chỉ e-mail",
    addressHint: "Để trống nếu không muốn nhận e-mail.",
    kinds: "Gửi qua e-mail",
    kind: {
      returned: "Báo cáo bị trả lại (gửi ngay)",
      approved: "Báo cáo đã được duyệt",
      due_soon: "Báo cáo sắp đến hạn",
      overdue: "Báo cáo quá hạn",
      reminder: "Nhắc nhở của tỉnh",
      other: "Các thông báo khác (kiến nghị, nhiệm vụ…)",
    },
    save: "Lưu lựa chọn",
    saved: "Đã lưu.",
    invalidAddress: "Địa chỉ e-mail không hợp lệ.",
  },
};

/** Same keys as Vietnamese; a plural key `x_other` may add `x_one`. */
type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> } & {
  [K in keyof T as K extends `${infer Base}_other` ? `${Base}_one` : never]?: string;
};
export type HomeMessages = Messages<typeof homeVi>;
