import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { RequestContext } from "../access/actor.ts";
import { createReferenceEngine } from "../analytics/index.ts";
import type { SessionsContext } from "./common.ts";
import { createDirection, decideExtension, reportProgress, requestExtension } from "./directions.ts";
import { recordMeeting } from "./meetings.ts";
import { actOnProposal, createProposal } from "./proposals.ts";
import { directions, meetings } from "./schema.ts";

/**
 * The Sơn La working session of the seed article: the provincial Standing Committee with the Standing Boards of
 * Sông Mã, Chiềng Khương, Mường Hung, Chiềng Khoong and Chiềng Sơ. The delegation, the five communes, their proposals
 * and the Secretary's directions are the article's; dates, deadlines, numbers, answers and progress are illustrative
 * (flagged so), made up so that the follow-up views have on-time, late, overdue and extended tasks to show.
 */
export const DEMO_MEETING_TITLE =
  "Ban Thường vụ Tỉnh ủy làm việc với Ban Thường vụ Đảng ủy các xã Sông Mã, Chiềng Khương, Mường Hung, Chiềng Khoong, Chiềng Sơ";

const PROVINCE = "14";
const SONG_MA = "04168";
const CHIENG_KHUONG = "04222";
const MUONG_HUNG = "04219";
const CHIENG_KHOONG = "04204";
const CHIENG_SO = "04195";
const HELD_ON = "2026-01-08";
const NOTICE = { number: "125", symbol: "TB/TU", date: "2026-01-12" };
const SOURCE = {
  issuerUnitCode: PROVINCE,
  sourceNumber: `${NOTICE.number}-${NOTICE.symbol}`,
  sourceDate: NOTICE.date,
  sourceBody: "Ban Thường vụ Tỉnh ủy Sơn La",
  isIllustrative: true,
};

export async function loadDemoSessions(db: Db, base: RequestContext): Promise<{ created: boolean }> {
  const [existing] = await db
    .select({ id: meetings.id })
    .from(meetings)
    .where(and(eq(meetings.title, DEMO_MEETING_TITLE), eq(meetings.isIllustrative, true)));
  if (existing) return { created: false };
  const on = (today: string): SessionsContext => ({ ...base, today });
  const ctx = on(HELD_ON);
  const meeting = await recordMeeting(db, ctx, createReferenceEngine(db), {
    title: DEMO_MEETING_TITLE,
    heldOn: HELD_ON,
    place: "Trụ sở Đảng ủy xã Sông Mã, tỉnh Sơn La",
    issuerUnitCode: PROVINCE,
    issuingBody: "Ban Thường vụ Tỉnh ủy",
    parentBody: "Đảng bộ tỉnh Sơn La",
    chairName: "Hoàng Văn Nghiêm",
    chairPosition: "Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy, Trưởng Đoàn đại biểu Quốc hội tỉnh",
    agenda:
      "1. Các xã báo cáo kết quả thực hiện nhiệm vụ năm 2025 sau sắp xếp.\n2. Các xã nêu kiến nghị, đề xuất.\n3. Ý kiến các sở, ngành.\n4. Kết luận của đồng chí Bí thư Tỉnh ủy.",
    minutes:
      "(Minh hoạ) Các xã báo cáo: 100% xã có đường đến trung tâm được bê tông hoá; 54,5% đường xã đã bê tông hoá; 98,5% dân cư nông thôn dùng nước hợp vệ sinh; 96% hộ dùng điện lưới quốc gia; trên 11.000 ha cây ăn quả, gần 8.000 ha nhãn. Lãnh đạo Ban Tổ chức Tỉnh ủy và Công an tỉnh phát biểu. Đoàn tặng 15 suất quà cho hộ nghèo, gia đình chính sách xã Sông Mã.",
    delegates: [
      {
        name: "Cha A Của",
        title: "Phó Bí thư Tỉnh ủy, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh",
        body: "Tỉnh ủy Sơn La",
      },
      { name: "(Lãnh đạo Ban Tổ chức Tỉnh ủy)", title: "Lãnh đạo Ban", body: "Ban Tổ chức Tỉnh ủy" },
      { name: "(Lãnh đạo Công an tỉnh)", title: "Lãnh đạo Công an tỉnh", body: "Công an tỉnh Sơn La" },
    ],
    units: [
      {
        code: SONG_MA,
        report: "Báo cáo kết quả năm 2025 và phương hướng năm 2026 của xã Sông Mã (minh hoạ).",
      },
      {
        code: CHIENG_KHUONG,
        report: "Báo cáo của xã Chiềng Khương: hạ tầng, cửa khẩu, quan hệ với Lào (minh hoạ).",
      },
      { code: MUONG_HUNG, report: "Báo cáo của xã Mường Hung (minh hoạ)." },
      { code: CHIENG_KHOONG, report: "Báo cáo của xã Chiềng Khoong (minh hoạ)." },
      { code: CHIENG_SO, report: "Báo cáo của xã Chiềng Sơ (minh hoạ)." },
    ],
    notice: {
      ...NOTICE,
      signerName: "Hoàng Văn Nghiêm",
      signerTitle: "T/M Ban Thường vụ\nBí thư",
      recipients:
        "Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy\nĐảng ủy các xã Sông Mã, Chiềng Khương, Mường Hung, Chiềng Khoong, Chiềng Sơ\nCác sở, ngành liên quan\nLưu Văn phòng Tỉnh ủy",
    },
    isIllustrative: true,
  });

  // The five proposals of the article.
  const raise = (
    unitCode: string,
    category: Parameters<typeof createProposal>[2]["category"],
    content: string,
    amount?: { value: number; unit: string },
  ) =>
    createProposal(db, ctx, {
      unitCode,
      issuerUnitCode: PROVINCE,
      meetingId: meeting.id,
      category,
      content,
      ...(amount ? { amount: amount.value, amountUnit: amount.unit } : {}),
      receivedOn: HELD_ON,
      isIllustrative: true,
    });
  const staffing = await raise(
    CHIENG_KHOONG,
    "staffing_quota",
    "Đề nghị tỉnh xem xét tăng biên chế cho các xã đông dân, địa bàn rộng, khối lượng công việc lớn.",
    { value: 5, unit: "biên chế" },
  );
  const investment = await raise(
    SONG_MA,
    "public_investment",
    "Đề nghị ưu tiên phân bổ vốn đầu tư công cho xã Sông Mã để đáp ứng hạ tầng thiết yếu, phấn đấu đạt chuẩn nông thôn mới vào năm 2029.",
    { value: 120, unit: "tỷ đồng" },
  );
  const road = await raise(
    MUONG_HUNG,
    "infrastructure_project",
    "Đề nghị đầu tư xây dựng Đường tỉnh 115 từ xã Mường Hung đến xã Chiềng Khương, kết nối vùng bờ phải sông Mã với Cửa khẩu Chiềng Khương.",
  );
  await raise(
    CHIENG_KHUONG,
    "headquarters",
    "Đề nghị sớm đầu tư xây dựng trụ sở làm việc của xã Chiềng Khương.",
  );
  const hqSo = await raise(
    CHIENG_SO,
    "headquarters",
    "Đề nghị sớm đầu tư xây dựng trụ sở làm việc của xã Chiềng Sơ.",
  );

  const act = async (
    id: number,
    today: string,
    steps: Array<Omit<Parameters<typeof actOnProposal>[3], "expectedVersion">>,
  ) => {
    let version = 1;
    for (const step of steps)
      version = (await actOnProposal(db, on(today), id, { ...step, expectedVersion: version })).version;
  };
  await act(staffing.id, "2026-02-10", [
    { action: "assign", assignedTo: "Ban Tổ chức Tỉnh ủy", answerDue: "2026-03-15" },
    { action: "review" },
    {
      action: "publish",
      outcome: "partly_accepted",
      answer:
        "Tỉnh bổ sung biên chế cho các xã có quy mô dân số, diện tích lớn trong tổng biên chế được giao năm 2026; xã Chiềng Khoong được bổ sung 2 biên chế (minh hoạ).",
    },
  ]);
  await act(investment.id, "2026-01-20", [
    { action: "assign", assignedTo: "Sở Tài chính", answerDue: "2026-03-31" },
    { action: "review" },
  ]);
  await act(road.id, "2026-11-20", [
    { action: "assign", assignedTo: "Sở Xây dựng", answerDue: "2027-01-15" },
    {
      action: "draft",
      outcome: "noted",
      answer:
        "Ghi nhận; đưa Đường tỉnh 115 vào danh mục dự kiến kế hoạch đầu tư công trung hạn 2026–2030 (dự thảo, minh hoạ).",
    },
  ]);
  await act(hqSo.id, "2026-03-05", [
    { action: "assign", assignedTo: "Sở Tài chính", answerDue: "2026-04-30" },
    {
      action: "publish",
      outcome: "accepted",
      answer: "Bố trí vốn xây dựng trụ sở xã Chiềng Sơ trong kế hoạch năm 2027 (minh hoạ).",
    },
    { action: "close" },
  ]);

  // The directions of the Secretary's speech, with illustrative deadlines and progress.
  const issue = (
    content: string,
    leadUnitCode: string,
    dueDate: string,
    extra: {
      cooperating?: string[];
      priority?: "high" | "normal" | "low";
      parentId?: number;
      weight?: number;
    } = {},
  ) =>
    createDirection(db, ctx, {
      ...SOURCE,
      meetingId: meeting.id,
      content,
      leadUnitCode,
      cooperatingUnitCodes: extra.cooperating ?? [],
      dueDate,
      priority: extra.priority ?? "normal",
      weight: extra.weight ?? 1,
      ...(extra.parentId ? { parentId: extra.parentId } : {}),
    });
  const progress = async (id: number, steps: Array<[string, number, string]>) => {
    for (const [today, percent, narrative] of steps) {
      const [row] = await db
        .select({ version: directions.version })
        .from(directions)
        .where(eq(directions.id, id));
      await reportProgress(db, on(today), id, { expectedVersion: row?.version ?? 1, percent, narrative });
    }
  };

  const agriculture = await issue(
    "Triển khai hiệu quả các chương trình, đề án phát triển nông nghiệp, nông thôn.",
    SONG_MA,
    "2026-12-31",
    { priority: "high" },
  );
  await progress(agriculture.id, [
    ["2026-04-30", 30, "Đã triển khai kế hoạch năm, giao chỉ tiêu cho các bản (minh hoạ)."],
    ["2026-10-15", 70, "Hoàn thành 70% khối lượng các dự án hỗ trợ sản xuất (minh hoạ)."],
  ]);
  const models = await issue(
    "Xây dựng và nhân rộng các mô hình sản xuất có hiệu quả kinh tế cao.",
    CHIENG_KHUONG,
    "2026-09-30",
  );
  const longan = await issue(
    "Mô hình nhãn ghép chất lượng cao gắn với chuỗi tiêu thụ.",
    CHIENG_KHUONG,
    "2026-09-30",
    {
      parentId: models.id,
      weight: 2,
    },
  );
  const cattle = await issue(
    "Nhân rộng mô hình chăn nuôi bò sinh sản tại các bản.",
    CHIENG_KHUONG,
    "2026-09-30",
    {
      parentId: models.id,
      weight: 1,
    },
  );
  await progress(longan.id, [
    ["2026-05-20", 50, "Đã ghép cải tạo 40 ha nhãn (minh hoạ)."],
    ["2026-08-20", 100, "Hoàn thành 80 ha, ký hợp đồng tiêu thụ với hợp tác xã (minh hoạ)."],
  ]);
  await progress(cattle.id, [["2026-07-10", 40, "Đã hỗ trợ 60 hộ, chậm do thiếu con giống (minh hoạ)."]]);
  const crops = await issue(
    "Chuyển đổi cơ cấu cây trồng, vật nuôi phù hợp với biến đổi khí hậu và nhu cầu thị trường, gắn với chuỗi tiêu thụ sản phẩm.",
    CHIENG_KHOONG,
    "2026-06-30",
  );
  await progress(crops.id, [
    ["2026-03-30", 60, "Chuyển 120 ha ngô đồi dốc sang cây ăn quả (minh hoạ)."],
    ["2026-06-20", 100, "Hoàn thành kế hoạch chuyển đổi năm 2026 (minh hoạ)."],
  ]);
  const disaster = await issue(
    "Chủ động phòng, chống, ứng phó và khắc phục hậu quả thiên tai; ổn định đời sống các hộ bị ảnh hưởng do lũ.",
    MUONG_HUNG,
    "2026-03-31",
    { priority: "high" },
  );
  await progress(disaster.id, [
    ["2026-03-20", 80, "Đã di dời 18/22 hộ ra khỏi vùng nguy cơ sạt lở (minh hoạ)."],
    ["2026-04-15", 100, "Hoàn thành di dời, ổn định đời sống 22 hộ (minh hoạ)."],
  ]);
  const infrastructure = await issue(
    "Tập trung đầu tư xây dựng kết cấu hạ tầng cơ bản.",
    SONG_MA,
    "2027-06-30",
  );
  await progress(infrastructure.id, [
    ["2026-09-30", 35, "Khởi công 3 công trình giao thông, thủy lợi (minh hoạ)."],
  ]);
  const planning = await issue(
    "Tăng cường quản lý nhà nước về quy hoạch, đô thị, tài nguyên, khoáng sản.",
    CHIENG_SO,
    "2026-10-31",
  );
  await progress(planning.id, [
    ["2026-07-01", 50, "Đã rà soát quy hoạch chung xã; đang kiểm tra các điểm khai thác cát (minh hoạ)."],
  ]);
  const schools = await issue(
    "Phối hợp triển khai, hoàn thành các dự án xây dựng trường phổ thông nội trú liên cấp theo kế hoạch.",
    CHIENG_KHUONG,
    "2026-08-31",
    { cooperating: [MUONG_HUNG] },
  );
  await progress(schools.id, [
    ["2026-06-30", 45, "Giải phóng mặt bằng xong; đang thi công phần móng (minh hoạ)."],
  ]);
  const schoolExt = await requestExtension(db, on("2026-08-10"), schools.id, {
    requestedDue: "2027-03-31",
    reason: "Mưa lũ kéo dài tháng 7, nhà thầu phải tạm dừng thi công 6 tuần (minh hoạ).",
  });
  await decideExtension(db, on("2026-08-20"), schoolExt.id, {
    decision: "approved",
    note: "Đồng ý gia hạn (minh hoạ).",
  });
  await progress(schools.id, [["2026-11-15", 60, "Hoàn thành phần thô khu nhà học (minh hoạ)."]]);
  await issue(
    "Phát huy giá trị văn hóa, truyền thống lịch sử, cách mạng; giữ gìn, lan tỏa bản sắc văn hóa các dân tộc.",
    MUONG_HUNG,
    "2027-12-31",
    { priority: "low" },
  );
  const border = await issue(
    "Quản lý, bảo vệ vững chắc chủ quyền, an ninh biên giới; duy trì, tăng cường đoàn kết, hữu nghị, hợp tác toàn diện với các huyện giáp biên của tỉnh Hủa Phăn (Lào).",
    CHIENG_KHUONG,
    "2026-12-31",
    { priority: "high", cooperating: [CHIENG_KHOONG] },
  );
  await progress(border.id, [
    ["2026-10-01", 50, "Tổ chức 2 đợt giao lưu với bản kết nghĩa bên kia biên giới (minh hoạ)."],
  ]);
  await requestExtension(db, on("2026-11-25"), border.id, {
    requestedDue: "2027-03-31",
    reason: "Chờ kế hoạch giao lưu năm 2027 của huyện bạn để ký biên bản hợp tác (minh hoạ).",
  });
  await issue(
    "Phối hợp với đồn Biên phòng nắm chắc tình hình dân cư, kiểm soát chặt việc qua lại biên giới của cư dân, nhất là trước, trong và sau Tết Nguyên đán.",
    CHIENG_KHOONG,
    "2027-02-28",
    { cooperating: [CHIENG_KHUONG] },
  );
  return { created: true };
}
