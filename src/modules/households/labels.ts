/** Vietnamese labels of the deprivation indicators, as the survey forms of Circular 07/2021/TT-BLĐTBXH name them. */
export const indicatorLabels: Record<string, string> = {
  employment: "Việc làm",
  dependants: "Người phụ thuộc",
  nutrition: "Dinh dưỡng",
  health_insurance: "Bảo hiểm y tế",
  adult_education: "Trình độ giáo dục người lớn",
  child_schooling: "Tình trạng đi học của trẻ em",
  housing_quality: "Chất lượng nhà ở",
  living_area: "Diện tích nhà ở bình quân",
  water_source: "Nguồn nước sinh hoạt",
  toilet: "Nhà tiêu hợp vệ sinh",
  telecom: "Sử dụng dịch vụ viễn thông",
  information_access: "Phương tiện tiếp cận thông tin",
  waste_treatment: "Xử lý rác thải",
};

export const classLabels: Record<string, string> = {
  poor: "Hộ nghèo",
  near_poor: "Hộ cận nghèo",
  not_poor: "Không nghèo",
};

export const movementLabels: Record<string, string> = {
  newly_poor: "Nghèo phát sinh",
  fell_back: "Tái nghèo",
  escaped: "Thoát nghèo",
  stayed_poor: "Nghèo cũ",
};
