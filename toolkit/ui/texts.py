"""Every word of the pages, once, in Vietnamese through ``T`` (their English in ``toolkit/locale/en.po``, as
for every other message): the templates say ``_("key", field=value)``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core.i18n import Message, T

WORDS: dict[str, Message] = {
    "app": T("Kế hoạch và Báo cáo của nhà trường"),
    "nav_workbook": T("Sổ theo dõi"),
    "nav_check": T("Kiểm tra"),
    "nav_documents": T("Văn bản"),
    "nav_send": T("Gửi"),
    "nav_rollup": T("Tổng hợp (cấp trên)"),
    "current": T("Đang dùng"),
    "choose_title": T("Chọn sổ theo dõi"),
    "upload_title": T("Tệp trên máy"),
    "upload_hint": T("Kéo thả hoặc chọn tệp .xlsx, .xls, .ods"),
    "open": T("Mở"),
    "link_title": T("Google Sheet, hoặc sổ trên máy này"),
    "link_hint": T(
        "Dán đường dẫn của Google Sheet, hoặc gõ đường dẫn tới sổ theo dõi trên máy này "
        "(ví dụ D:\\BaoCao\\so-theo-doi.xlsx)"
    ),
    "recent": T("Mở gần đây"),
    "uploaded_at": T("tải lên lúc {time}"),
    "none": T("Hãy chọn một tệp hoặc dán đường dẫn Google Sheet."),
    "bug": T("Lỗi không mong đợi của phần mềm: xem chi tiết ở cửa sổ lệnh và báo cho người phụ trách."),
    "seconds": T("{seconds:.1f,} giây"),
    "check_again": T("Kiểm tra lại"),
    "checks_a_copy": T(
        "Trang này kiểm tra bản {name} đã tải lên lúc {time}, không phải tệp trên máy của bạn: sửa tệp trong "
        "Excel thì lưu lại rồi tải bản đã sửa lên đây."
    ),
    "reupload": T("Tải lên bản đã sửa (kéo thả hoặc chọn tệp)"),
    "summary": T("{errors} lỗi, {warnings} cảnh báo."),
    "no_problems": T("Không có lỗi hay cảnh báo."),
    "general": T("(chung)"),
    "cell": T("Ô"),
    "severity": T("Mức"),
    "message": T("Nội dung"),
    "error": T("Lỗi"),
    "warning": T("Cảnh báo"),
    "to_documents": T("Tạo văn bản →"),
    "with_pictures": T("Kèm hình từng trang (cần LibreOffice)"),
    "force": T("Vẫn tạo khi dữ liệu còn lỗi"),
    "write": T("Tạo Kế hoạch và Báo cáo"),
    "blocked": T("Dữ liệu có lỗi nên chưa tạo văn bản. Sửa các ô ở trang Kiểm tra rồi tạo lại."),
    "forced": T("Dữ liệu có lỗi; văn bản vẫn được tạo theo yêu cầu: hãy kiểm tra kỹ trước khi gửi."),
    "written_in": T("Đã kiểm tra và ghi xong sau {seconds:.1f,} giây."),
    "no_pictures_libreoffice": T(
        "Máy này chưa cài LibreOffice nên chưa xem được hình từng trang: hãy tải tệp .docx về để xem."
    ),
    "no_pictures_pdftoppm": T(
        "Máy này chưa có pdftoppm (gói poppler-utils) nên chưa xem được hình từng trang: hãy tải tệp về để xem."
    ),
    "plan": T("Kế hoạch"),
    "report": T("Báo cáo"),
    "download_docx": T("Tải .docx"),
    "download_pdf": T("Tải .pdf"),
    "page": T("Trang {n}"),
    "history": T("{n} bản cũ"),
    "to_send": T("Gửi thư →"),
    "sign": T("Ký số"),
    "sign_hint": T(
        "Ký bản PDF như Nghị định 30 quy định: người có thẩm quyền ký trước, cơ quan ký sau (có thể chỉ một bên)."
    ),
    "sign_signer": T("Người ký"),
    "sign_org": T("Cơ quan (con dấu)"),
    "sign_p12": T("Tệp khóa .p12/.pfx"),
    "sign_password": T("Mật khẩu tệp .p12 hoặc mã PIN của USB token"),
    "sign_signature": T("Ảnh chữ ký (PNG nền trong suốt)"),
    "sign_seal": T("Ảnh con dấu (PNG nền trong suốt)"),
    "sign_configured": T("Đã cấu hình: {configured} (dùng khi không chọn tệp khóa)."),
    "sign_secret_note": T("Mật khẩu chỉ dùng cho lần ký này: không lưu, không ghi lại."),
    "sign_start": T("Ký số {kind}"),
    "signed": T("Đã ký số: {name}."),
    "signed_by": T("{signer} ký lúc {time}."),
    "signed_by_for": T("{signer} ({organisation}) ký lúc {time}."),
    "sign_details": T("Chi tiết kỹ thuật"),
    "sign_levels": T("Mức chữ ký số (PAdES): {levels}."),
    "pick_again": T(
        "Trình duyệt không giữ lại các tệp đã chọn sau mỗi lần gửi (để giữ an toàn cho máy): hãy chọn lại "
        "{files} và gõ lại mật khẩu rồi ký lại."
    ),
    "pick_again_one": T("chọn lại {name}"),
    "download_signed": T("Tải bản đã ký (.pdf)"),
    "verify_title": T("Kiểm tra chữ ký (như lệnh toolkit verify)"),
    "verify_ok": T("Hợp lệ và tin cậy."),
    "verify_untrusted": T("Nguyên vẹn nhưng chưa xác nhận được độ tin cậy."),
    "verify_broken": T("Không hợp lệ."),
    "signed_page": T("Trang có chữ ký"),
    "sent_to": T("Đã gửi {kind} tới {to}: {subject}"),
    "already_sent": T("{kind} này đã gửi tới {to} lúc {earlier}: không gửi lại."),
    "nothing_sent": T("Không có thư nào được gửi."),
    "held": T("Chưa gửi thư: sổ theo dõi còn lỗi. Xem và sửa ở trang Kiểm tra rồi gửi lại."),
    "check_first": T("Hãy tạo văn bản trước."),
    "write_first": T("Chưa có văn bản để gửi: hãy tạo văn bản trước."),
    "interrupted": T("Lần gửi trước lúc {time} bị ngắt giữa chừng: xem hộp thư đã gửi trước khi gửi lại."),
    "to": T("Người nhận"),
    "subject": T("Tiêu đề"),
    "attachments": T("Tệp đính kèm"),
    "resend": T("Gửi lại"),
    "resend_ask": T("Gửi lại {kind} này tới {to}? Người nhận sẽ nhận thêm một thư nữa."),
    "confirm_resend": T("Xác nhận gửi lại"),
    "confirm_send": T("Xác nhận gửi"),
    "sent_record": T("Đã gửi"),
    "time": T("Thời gian"),
    "moment": T("{hm} ngày {date}"),
    "document": T("Văn bản"),
    "state_sent": T("đã gửi"),
    "state_failed": T("không gửi được"),
    "all": T("Tất cả"),
    "status_ok": T("hợp lệ"),
    "status_warnings": T("có cảnh báo"),
    "status_errors": T("còn lỗi"),
    "status_unreadable": T("không đọc được"),
    "status_wrong-campaign": T("sai đợt hoặc năm"),
    "status_missing": T("chưa có sổ"),
    "status_duplicate": T("trùng đơn vị"),
    "status_waiting": T("đang chờ"),
    "row": T("Dòng"),
    "school": T("Đơn vị"),
    "status": T("Tình trạng"),
    "errors_warnings": T("Lỗi / cảnh báo"),
    "reason": T("Lý do"),
    "what_to_fix": T("Các ô cần sửa"),
    "more_errors": T("… và {more} lỗi khác (xem bảng .xlsx tải về)"),
    "rollup_title": T("Tổng hợp báo cáo của các đơn vị"),
    "rollup_hint": T("Danh sách đơn vị (đường dẫn tệp trên máy này, hoặc Google Sheet)"),
    "force_list": T("Vẫn tổng hợp khi danh sách còn lỗi"),
    "rollup_start": T("Tổng hợp"),
    "list_errors": T("Danh sách có {errors} lỗi."),
    "rollup_done": T("Tổng hợp được {counted}/{total} đơn vị ({seconds:.1f,} giây)."),
    "rollup_report": T("Báo cáo tổng hợp"),
    "rollup_table": T("Bảng từng đơn vị"),
    "rollup_pdf": T("Kèm bản PDF của báo cáo tổng hợp (cần LibreOffice)"),
    "quota_waiting": T("Đang chờ hạn mức đọc của Google Sheets: còn khoảng {seconds:.0f} giây."),
    "quota_waited": T("Đã chờ hạn mức đọc của Google Sheets tổng cộng {seconds:.1f,} giây ({times} lần)."),
    "host": T("Địa chỉ (Host) không đúng: trang này chỉ mở qua {expected}."),
    "origin": T("Từ chối yêu cầu gửi từ trang khác."),
    "too_large": T("Tệp quá lớn (tối đa {limit} MB)."),
    "token": T("Hãy mở trang bằng đường dẫn mà lệnh toolkit ui đã in ra."),
    "password": T("Mật khẩu"),
    "login": T("Đăng nhập"),
}


def words(lang: str) -> Callable[..., str]:
    """``_(key, **fields)`` for the templates: the word of ``key`` in ``lang``."""

    def say(key: str, **fields: Any) -> str:
        numbers = {k: _Number(v) if isinstance(v, float) else v for k, v in fields.items()}
        return Message(WORDS[key].template, tuple(numbers.items())).text(lang)

    return say


class _Number(float):
    """A number of the page: a format ending in ``,`` (``{seconds:.1f,}``, the Vietnamese templates') writes it
    with a decimal comma, ``0,2 giây``, as ``core.vnformat.percent`` does; any other format as usual (the
    English ``{seconds:.1f}``: ``0.2 s``)."""

    def __format__(self, spec: str) -> str:
        if spec.endswith(","):
            return super().__format__(spec[:-1]).replace(".", ",")
        return super().__format__(spec)
