"""The bundled example: TRƯỜNG TH BÌNH AN's 2023 campaign, reproducing the real plan in ``seed/``.

Every citation, date and paragraph of the seed plan is here, with its two slips fixed: citations are
generated (no "Công văn số  Công văn số"), and the stale "05/11/2021" deadline is a 2023 date. The
activity log is a realistic month of a primary school of about 600 pupils, as of the report date.
"""

from __future__ import annotations

import datetime as dt

D = dt.date
CAMPAIGN = "Tháng hành động vì bình đẳng giới và phòng ngừa, ứng phó với bạo lực trên cơ sở giới"

SETTINGS: tuple[tuple[str, object], ...] = (
    ("Cơ quan chủ quản", "PHÒNG GD&ĐT THỦ THỪA"),
    ("Đơn vị", "TRƯỜNG TH BÌNH AN"),
    ("Viết tắt đơn vị", "THBA"),
    ("Địa danh", "Bình An"),
    ("Tên đợt", CAMPAIGN),
    ("Năm", 2023),
    ("Chủ đề", "Đảm bảo an sinh xã hội, tăng quyền năng và tạo cơ hội cho phụ nữ và trẻ em gái nhằm thực hiện "
               "bình đẳng giới và xóa bỏ bạo lực trên cơ sở giới"),
    ("Từ ngày", D(2023, 11, 15)),
    ("Đến ngày", D(2023, 12, 15)),
    ("Số kế hoạch", 12),
    ("Ngày kế hoạch", D(2023, 11, 9)),
    ("Số báo cáo", 25),
    ("Ngày báo cáo", D(2023, 12, 8)),
    ("Hạn nộp báo cáo", D(2023, 12, 10)),
    ("Nơi nhận báo cáo", "Phòng Giáo dục và Đào tạo Thủ Thừa"),
    ("Người nhận báo cáo", "Đ/c Bằng"),
    ("Thẩm quyền ký", None),
    ("Chức vụ người ký", "HIỆU TRƯỞNG"),
    ("Chức vụ thủ trưởng", None),
    ("Người ký", "Lê Thị Thu Hà"),
    ("Kinh phí", "Từ nguồn kinh phí của đơn vị và các nguồn vận động, huy động hợp pháp khác (nếu có)."),
    ("Email nhận báo cáo", "pgd-thuthua@example.edu.vn"),
)

CITATIONS: tuple[tuple[object, ...], ...] = (
    ("Kế hoạch", "1364/KH-VSTBPN", D(2023, 11, 7), "Phòng Giáo dục và Đào tạo Thủ Thừa",
     f"triển khai {CAMPAIGN} năm 2023", "Cả hai"),
    ("Công văn", "5610/BGDĐT-NGCBQLGD", D(2023, 10, 10), "Bộ Giáo dục và Đào tạo",
     f"hướng dẫn tổ chức {CAMPAIGN} năm 2023", "Bộ nhận diện"),
    ("Công văn", "9874/UBND-VHXH", D(2023, 10, 24), "Ủy ban nhân dân tỉnh",
     f"triển khai {CAMPAIGN} năm 2023", "Bộ nhận diện, Đề cương báo cáo"),
)

_M = "Mục đích, yêu cầu"
_H = "Hoạt động chính"
_T = "Tổ chức thực hiện"
CONTENT: tuple[tuple[str, str], ...] = (
    (_M, f"{CAMPAIGN} là điểm nhấn, tạo nên một chiến dịch truyền thông vì bình đẳng giới và phòng ngừa, ứng phó với "
         "bạo lực trên cơ sở giới; thu hút sự quan tâm, đề cao vai trò, trách nhiệm và tính chủ động tham gia của "
         "viên chức, người lao động, học sinh nhằm thúc đẩy bình đẳng giới và phòng ngừa, ứng phó với bạo lực, xâm "
         "hại phụ nữ và trẻ em."),
    (_M, "Tăng cường giáo dục kiến thức, kỹ năng bảo vệ, phòng ngừa bạo lực, xâm hại cho phụ nữ và trẻ em, các thành "
         "viên gia đình, người làm công tác trẻ em và bình đẳng giới. Tuyên truyền, giáo dục về các chính sách an "
         "sinh xã hội, bình đẳng giới, phòng ngừa và ứng phó với bạo lực trên cơ sở giới."),
    (_M, "Giảm thiểu, tiến tới chấm dứt tình trạng bạo lực, xâm hại đối với phụ nữ và trẻ em; đẩy mạnh công tác phòng "
         "ngừa, phát hiện và ngăn chặn, xử lý kịp thời các vụ bạo lực, xâm hại đối với phụ nữ và trẻ em."),
    (_M, "Các hoạt động của Tháng hành động cần được tổ chức thiết thực, hiệu quả, tiết kiệm; lồng ghép với các sự "
         "kiện khác để tạo hiệu ứng về truyền thông, đặc biệt cần tuân thủ các quy định về phòng, chống dịch bệnh, "
         "đảm bảo an toàn, phù hợp với tình hình thực tiễn tại địa phương, đơn vị. Tăng cường ứng dụng công nghệ "
         "thông tin trong tuyên truyền, phổ biến pháp luật, chính sách và triển khai các hoạt động hưởng ứng Tháng "
         "hành động."),
    (_H, f"Xây dựng kế hoạch và triển khai các hoạt động {CAMPAIGN} năm 2023 tại trường học. Tham gia Lễ phát động "
         f"{CAMPAIGN} do địa phương tổ chức."),
    (_H, "Tổ chức tuyên truyền về chủ đề, các thông điệp và các hoạt động bằng nhiều hình thức đa dạng, phù hợp với "
         "từng nhóm đối tượng và tình hình thực tế; truyền thông trực tiếp tại đơn vị thông qua các hoạt động nói "
         "chuyện chuyên đề; treo băng rôn, khẩu hiệu tuyên truyền; truy cập các trang thông tin điện tử, trang mạng "
         "xã hội."),
    (_H, "Phối hợp với các ban, ngành ở địa phương phát hành các sản phẩm truyền thông về các chính sách xã hội, vai "
         "trò của phụ nữ, bình đẳng giới và phòng ngừa, ứng phó với bạo lực, xâm hại phụ nữ và trẻ em."),
    (_H, "Tăng cường các hình thức kiểm tra về bình đẳng giới và vì sự tiến bộ của phụ nữ tại đơn vị trong Tháng hành "
         "động. Xử lý nghiêm các vụ, việc vi phạm về bình đẳng giới, phòng, chống bạo lực trên cơ sở giới và trong "
         "thực hiện các chính sách hỗ trợ đảm bảo an sinh xã hội (nếu có)."),
    (_H, "Gửi các tin bài về hoạt động của Tháng hành động của đơn vị để đăng trên website cổng thông tin điện tử của "
         "đơn vị."),
    ("Hình thức tuyên truyền", f"Tổ chức tọa đàm về các nội dung liên quan đến chủ đề của {CAMPAIGN} năm 2023; "
         "tuyên truyền về các chính sách đảm bảo an sinh xã hội cho người dân nói chung và phụ nữ, trẻ em nói riêng, "
         "vai trò của việc tăng cường quyền năng cho phụ nữ và trẻ em gái trong việc thúc đẩy bình đẳng giới."),
    (_T, f"Hiệu trưởng xây dựng kế hoạch, hướng dẫn, tổ chức thực hiện {CAMPAIGN} năm 2023."),
    (_T, f"Phối hợp với cơ quan ở địa phương tổ chức tuyên truyền các thông điệp của {CAMPAIGN} năm 2023."),
    (_T, "Báo cáo tổng kết gửi trước ngày 20/12/2023 về Phòng Giáo dục và Đào tạo (cô Oanh - Văn thư)."),
    ("Công tác chỉ đạo", "Ngay sau khi nhận được kế hoạch của Phòng Giáo dục và Đào tạo, nhà trường đã xây dựng kế "
         "hoạch, phân công nhiệm vụ cụ thể cho từng bộ phận và triển khai đến toàn thể cán bộ, giáo viên, nhân viên "
         "trong cuộc họp hội đồng sư phạm."),
    ("Công tác chỉ đạo", "Chỉ đạo Liên đội, giáo viên chủ nhiệm lồng ghép nội dung bình đẳng giới và phòng ngừa, ứng "
         "phó với bạo lực trên cơ sở giới vào các tiết sinh hoạt dưới cờ, sinh hoạt lớp và các môn học phù hợp."),
    ("Ưu điểm", "Các hoạt động được triển khai đúng kế hoạch, thiết thực, phù hợp với lứa tuổi học sinh tiểu học; "
                "thu hút đông đảo học sinh và cha mẹ học sinh tham gia."),
    ("Ưu điểm", "Công tác tuyên truyền được đẩy mạnh trên website và trang mạng xã hội của nhà trường."),
    ("Hạn chế", "Số lượng cha mẹ học sinh nam tham gia các buổi tọa đàm còn ít."),
    ("Nguyên nhân", "Một số cha mẹ học sinh bận công việc, thời gian tổ chức tọa đàm trùng giờ làm việc."),
    ("Đề xuất, kiến nghị", "Đề nghị Phòng Giáo dục và Đào tạo tiếp tục cung cấp tài liệu tuyên truyền, bộ nhận diện "
                           "để nhà trường sử dụng trong các năm tiếp theo."),
)

MESSAGES = (
    "Chung tay hành động vì bình đẳng giới, phòng ngừa, ứng phó với bạo lực trên cơ sở giới!",
    "Tăng quyền năng cho phụ nữ và trẻ em gái - Tạo cơ hội để phát triển!",
    "Không bạo lực với phụ nữ và trẻ em!",
)

_DONE, _PLAN, _DOING, _CANCEL = "Đã thực hiện", "Kế hoạch", "Đang thực hiện", "Hủy"
_WEB = "https://thbinhan.example.edu.vn/tin-tuc/"
# (name, group, form, start, end, audience, lead, partners, status,
#  staff m/f, students m/f, parents m/f, banners, news, money, evidence)
ACTIVITIES: tuple[tuple[object, ...], ...] = (
    ("Tham gia Lễ phát động Tháng hành động do địa phương tổ chức", "Phát động", "Trực tiếp", D(2023, 11, 15), None,
     "CB-GV-NV", "Phó Hiệu trưởng", "Công đoàn trường", _DONE, 3, 7, 0, 0, 0, 0, 0, 0, 0, "Ảnh chụp buổi lễ"),
    ("Treo băng rôn hưởng ứng Tháng hành động tại cổng trường", "Treo băng rôn, khẩu hiệu", "Trực tiếp",
     D(2023, 11, 15), None, "Toàn trường", "Nhân viên văn phòng", "", _DONE, 0, 0, 0, 0, 0, 0, 2, 0, 600_000,
     "Ảnh băng rôn tại cổng trường"),
    ("Phát động Tháng hành động trong buổi chào cờ đầu tuần", "Phát động", "Trực tiếp", D(2023, 11, 20), None,
     "Toàn trường", "Tổng phụ trách Đội", "Giáo viên chủ nhiệm", _DONE, 6, 24, 305, 297, 0, 0, 0, 0, 0,
     _WEB + "phat-dong-thang-hanh-dong-2023"),
    ("Đăng tin bài hưởng ứng Tháng hành động trên website của trường", "Tin bài, mạng xã hội", "Trực tuyến",
     D(2023, 11, 16), None, "Cộng đồng", "Phó Hiệu trưởng", "", _DONE, 0, 0, 0, 0, 0, 0, 0, 1, 0,
     _WEB + "huong-ung-thang-hanh-dong-2023"),
    ("Treo khẩu hiệu tại điểm trường phụ", "Treo băng rôn, khẩu hiệu", "Trực tiếp", D(2023, 11, 18), None,
     "Toàn trường", "Nhân viên văn phòng", "", _DONE, 0, 0, 0, 0, 0, 0, 3, 0, 450_000, "Ảnh khẩu hiệu"),
    ("Nói chuyện chuyên đề “Phòng ngừa xâm hại trẻ em” cho học sinh khối 4, 5",
     "Tuyên truyền trực tiếp, nói chuyện chuyên đề", "Trực tiếp", D(2023, 11, 22), None, "Học sinh khối 4, 5",
     "Tổng phụ trách Đội", "Công an xã Bình An", _DONE, 2, 10, 120, 115, 0, 0, 0, 0, 300_000,
     _WEB + "noi-chuyen-phong-ngua-xam-hai"),
    ("Sinh hoạt lớp chủ đề “Em biết tự bảo vệ mình”", "Lồng ghép vào hoạt động giáo dục", "Trực tiếp",
     D(2023, 11, 24), None, "Học sinh khối 1, 2, 3", "Giáo viên chủ nhiệm", "", _DONE, 1, 11, 150, 142, 0, 0, 0,
     0, 0, "Sổ chủ nhiệm các lớp"),
    ("Tọa đàm “Bình đẳng giới trong gia đình” với cha mẹ học sinh", "Tọa đàm, diễn đàn", "Trực tiếp",
     D(2023, 11, 25), None, "Cha mẹ học sinh", "Hiệu trưởng", "Ban đại diện cha mẹ học sinh", _DONE, 1, 6, 0, 0,
     18, 42, 0, 0, 500_000, _WEB + "toa-dam-binh-dang-gioi"),
    ("Đăng tin bài về buổi tọa đàm trên trang mạng xã hội của trường", "Tin bài, mạng xã hội", "Trực tuyến",
     D(2023, 11, 26), None, "Cộng đồng", "Phó Hiệu trưởng", "", _DONE, 0, 0, 0, 0, 0, 0, 0, 2, 0,
     "https://facebook.com/thbinhan.example"),
    ("Phát tờ rơi về phòng, chống bạo lực gia đình cho cha mẹ học sinh", "Phát hành sản phẩm truyền thông",
     "Trực tiếp", D(2023, 11, 27), D(2023, 11, 29), "Cha mẹ học sinh", "Giáo viên chủ nhiệm",
     "Hội Liên hiệp Phụ nữ xã", _DONE, 0, 0, 0, 0, 96, 158, 0, 0, 800_000, "Danh sách nhận tờ rơi"),
    ("Kiểm tra việc thực hiện quy tắc ứng xử trong nhà trường", "Kiểm tra, giám sát", "Trực tiếp",
     D(2023, 11, 29), None, "CB-GV-NV", "Hiệu trưởng", "Ban Thanh tra nhân dân", _DONE, 4, 12, 0, 0, 0, 0, 0, 0, 0,
     "Biên bản kiểm tra"),
    ("Ngày hội đọc sách về bình đẳng giới", "Lồng ghép vào hoạt động giáo dục", "Trực tiếp", D(2023, 11, 30), None,
     "Học sinh", "Nhân viên thư viện", "", _CANCEL, 0, 0, 0, 0, 0, 0, 0, 0, 0, ""),
    ("Tư vấn tâm lý học đường cho học sinh", "Hỗ trợ, tư vấn", "Trực tiếp", D(2023, 12, 1), None, "Học sinh",
     "Giáo viên tư vấn tâm lý", "", _DONE, 0, 2, 6, 9, 0, 0, 0, 0, 0, "Sổ tư vấn"),
    ("Hội thi vẽ tranh “Ngôi nhà an toàn”", "Lồng ghép vào hoạt động giáo dục", "Trực tiếp", D(2023, 12, 1),
     D(2023, 12, 4), "Học sinh khối 3, 4, 5", "Giáo viên Mỹ thuật", "Liên đội", _DONE, 1, 3, 45, 61, 0, 0, 0, 0,
     1_200_000, _WEB + "hoi-thi-ve-tranh"),
    ("Lồng ghép giáo dục bình đẳng giới trong môn Đạo đức, Tự nhiên và Xã hội", "Lồng ghép vào hoạt động giáo dục",
     "Trực tiếp", D(2023, 11, 20), D(2023, 12, 15), "Học sinh", "Tổ trưởng chuyên môn", "", _DOING,
     0, 0, 0, 0, 0, 0, 0, 0, 0, ""),
    ("Tuyên truyền qua chương trình phát thanh măng non", "Tuyên truyền trực tiếp, nói chuyện chuyên đề",
     "Trực tiếp", D(2023, 12, 4), None, "Toàn trường", "Tổng phụ trách Đội", "", _DONE, 5, 22, 305, 297, 0, 0, 0,
     0, 0, "Kịch bản phát thanh"),
    ("Tập huấn giáo viên chủ nhiệm nhận biết dấu hiệu bạo lực, xâm hại", "Tuyên truyền trực tiếp, nói chuyện chuyên đề",
     "Kết hợp", D(2023, 12, 5), None, "Giáo viên chủ nhiệm", "Phó Hiệu trưởng", "Trạm Y tế xã", _DONE, 2, 18, 0, 0,
     0, 0, 0, 0, 400_000, "Danh sách tham dự tập huấn"),
    ("Trò chơi dân gian “Bạn trai, bạn gái cùng chơi”", "Khác", "Trực tiếp", D(2023, 12, 7), None, "Học sinh",
     "Tổng phụ trách Đội", "Liên đội", _DONE, 2, 4, 82, 80, 0, 0, 0, 0, 350_000, "Ảnh hoạt động"),
    ("Đăng tin bài tổng hợp các hoạt động Tháng hành động", "Tin bài, mạng xã hội", "Trực tuyến", D(2023, 12, 7),
     None, "Cộng đồng", "Phó Hiệu trưởng", "", _DONE, 0, 0, 0, 0, 0, 0, 0, 1, 0, _WEB + "tong-hop-thang-hanh-dong"),
    ("Sơ kết Tháng hành động, rút kinh nghiệm trong họp hội đồng", "Khác", "Trực tiếp", D(2023, 12, 12), None,
     "CB-GV-NV", "Hiệu trưởng", "Công đoàn trường", _PLAN, 0, 0, 0, 0, 0, 0, 0, 0, 0, ""),
    ("Tham gia mít tinh kết thúc Tháng hành động tại xã", "Phát động", "Trực tiếp", D(2023, 12, 15), None,
     "CB-GV-NV", "Phó Hiệu trưởng", "Công đoàn trường", _PLAN, 0, 0, 0, 0, 0, 0, 0, 0, 0, ""),
)

FIGURES = (
    ("Số vụ bạo lực, xâm hại phát hiện", 0, ""),
    ("Số vụ đã xử lý, can thiệp", 0, ""),
    ("Số lượt kiểm tra", 1, "Kiểm tra việc thực hiện quy tắc ứng xử"),
    ("Số vi phạm bị xử lý", 0, ""),
    ("Số lượt phụ nữ, trẻ em được hỗ trợ, tư vấn", 15, "Tư vấn tâm lý học đường"),
)
