"""``toolkit sign`` and ``toolkit verify`` against a real test CA (OCSP, CRL and time-stamps served on
127.0.0.1) and real SoftHSM2 tokens initialised here; the signed PDFs checked by pyHanko's validator and by
poppler's ``pdfsig``, and rendered with ``pdftoppm`` to see where the marks are.

No real Vietnamese CA token or Windows machine is used (none is available here): see README, "Digital
signatures".
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw

import signing_pki as pki
from conftest import write_workbook
from toolkit.cli import cli
from toolkit.core.config import Options
from toolkit.output.pdf import find_soffice
from toolkit.pipeline import export_pdf, sync_and_report
from toolkit.signing import SignRequest, parse_key, sign_documents
from toolkit.signing.block import find_block

SIGNER_PIN, ORG_PIN = "246810", "135791"
P12_PASSWORD, ORG_P12_PASSWORD = "mật-khẩu-p12-Ω", "org-secret-42"


@pytest.fixture(scope="module", autouse=True)
def tools() -> None:
    missing = pki.tools_missing() + ([] if find_soffice() else ["LibreOffice"])
    if missing:
        reason = "signing tests need " + ", ".join(missing) + " (apt-get install softhsm2 opensc poppler-utils)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(scope="module")
def ca(tmp_path_factory):
    ca = pki.start_ca(tmp_path_factory.mktemp("ca"))
    yield ca
    ca.close()


@pytest.fixture(scope="module")
def tokens(tmp_path_factory, ca):
    """Two SoftHSM2 tokens: the principal's and the school's, each with its key, certificate and issuer."""
    folder = tmp_path_factory.mktemp("softhsm")
    env = pki.softhsm_env(folder)
    saved = os.environ.get("SOFTHSM2_CONF")
    os.environ.update(env)
    signer = pki.init_token("HIEU TRUONG", SIGNER_PIN, env)
    org = pki.init_token("CON DAU TRUONG", ORG_PIN, env)
    pki.import_key(signer, ca, "signer", "Le Thi Thu Ha", "01", env)
    pki.import_key(signer, ca, "expired", "Tran Van Cu", "02", env)
    pki.import_key(org, ca, "org", "Trường Tiểu học Bình An", "0a", env)
    yield {"signer": signer, "org": org}
    if saved is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = saved


@pytest.fixture(scope="module")
def images(tmp_path_factory) -> dict[str, Path]:
    """A blue handwritten-like signature and a red round seal, both transparent PNGs."""
    return marks(tmp_path_factory.mktemp("images"))


def marks(folder: Path) -> dict[str, Path]:
    """A blue handwritten-like signature and a red round seal, both transparent PNGs, in ``folder``."""
    signature = Image.new("RGBA", (600, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(signature)
    draw.line([(20, 180), (150, 30), (300, 210), (580, 40)], fill=(20, 40, 200, 255), width=12)
    seal = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    draw = ImageDraw.Draw(seal)
    draw.ellipse([6, 6, 394, 394], outline=(220, 0, 0, 255), width=18)
    draw.ellipse([70, 70, 330, 330], outline=(220, 0, 0, 255), width=8)
    draw.regular_polygon((200, 200, 60), 5, fill=(220, 0, 0, 255))
    signature.save(folder / "chu-ky.png")
    seal.save(folder / "con-dau.png")
    return {"signature": folder / "chu-ky.png", "seal": folder / "con-dau.png"}


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("example")
    source = write_workbook(folder / "thba.xlsx")
    result = sync_and_report(str(source), Options(output=folder / "out"))
    export_pdf(result)
    pdfs = [f.path for f in result.files if f.is_pdf]
    return {"source": source, "out": folder / "out", "plan": pdfs[0], "report": pdfs[1]}


@pytest.fixture()
def report(example, tmp_path) -> Path:
    copy = tmp_path / example["report"].name
    shutil.copy(example["report"], copy)
    return copy


@pytest.fixture()
def p12(ca, monkeypatch):
    monkeypatch.setenv("TOOLKIT_P12_PASSWORD", P12_PASSWORD)
    monkeypatch.setenv("TOOLKIT_ORG_P12_PASSWORD", ORG_P12_PASSWORD)
    return {
        "signer": ca.p12("signer", P12_PASSWORD.encode()),
        "org": ca.p12("org", ORG_P12_PASSWORD.encode()),
    }


def _token_key(token: pki.Token, choose: str) -> str:
    return f"pkcs11:token={token.label.replace(' ', '%20')};{choose}?module-path={token.module}"


def _validate(path: Path, ca) -> list:
    """pyHanko's own verdict on every signature of ``path``, trusting only the test root."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(path.read_bytes()), strict=False)  # Pillow's PDFs: generation 65536
    context = ValidationContext(trust_roots=[ca.cert("root")], allow_fetching=True)
    return [validate_pdf_signature(s, signer_validation_context=context) for s in reader.embedded_signatures]


def _pdfsig(path: Path) -> str:
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60).stdout


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_tokens_sign_b_lt_signer_then_school_and_both_validate(ca, tokens, images, report) -> None:
    before = _sha(report)
    result = CliRunner().invoke(
        cli,
        [
            "sign",
            "--file",
            str(report),
            "--signer-key",
            _token_key(tokens["signer"], "object=Le%20Thi%20Thu%20Ha"),
            "--signature-image",
            str(images["signature"]),
            "--org-key",
            _token_key(tokens["org"], "x-subject=Trường Tiểu học Bình An"),
            "--seal-image",
            str(images["seal"]),
            "--tsa",
            ca.tsa_url,
            "--roots",
            str(ca.roots()),
        ],
        input=f"{SIGNER_PIN}\n{ORG_PIN}\n",
    )
    signed = report.with_name(report.stem + "-ky-so.pdf")
    assert result.exit_code == 0, result.output
    assert f"Đã ký số: {signed} (B-LT, B-LT)" in result.stderr
    assert SIGNER_PIN not in result.output and ORG_PIN not in result.output
    assert _sha(report) == before  # the unsigned PDF is never changed
    statuses = _validate(signed, ca)
    assert [s.signing_cert.subject.native["common_name"] for s in statuses] == [
        "Lê Thị Thu Hà",
        "Trường Tiểu học Bình An",
    ]
    assert all(s.intact and s.valid and s.trusted for s in statuses)
    assert all(s.timestamp_validity is not None and s.timestamp_validity.valid for s in statuses)
    assert statuses[0].modification_level is not None and statuses[0].docmdp_ok is not False
    independent = _pdfsig(signed)
    assert independent.count("Signature Validation: Signature is Valid.") == 2, independent
    assert "Signer Certificate Common Name: Lê Thị Thu Hà" in independent
    assert "Signature Type: ETSI.CAdES.detached" in independent  # PAdES
    verified = CliRunner().invoke(cli, ["verify", str(signed), "--roots", str(ca.roots()), "--lang", "en"])
    assert verified.exit_code == 0, verified.output
    lines = verified.stdout.splitlines()
    assert lines[0] == f"{signed}: 2 digital signature(s)."
    assert lines[1].startswith("1. Lê Thị Thu Hà — Trường Tiểu học Bình An, signed at ")
    assert lines[1].endswith("+07:00 (by time-stamp)")
    assert lines.count("   Intact: the document was not changed after signing.") == 2
    assert lines.count("   Trusted: the certificate chains to a configured root.") == 2


def test_a_wrong_pin_is_tried_once_and_says_what_the_token_reports(tokens, images, report) -> None:
    token = tokens["signer"]
    result = CliRunner().invoke(
        cli,
        [
            "sign",
            "--file",
            str(report),
            "--signer-key",
            _token_key(token, "object=Le%20Thi%20Thu%20Ha"),
            "--signature-image",
            str(images["signature"]),
        ],
        input="000000\n",  # one line only: a retry would find no second answer and fail differently
    )
    assert result.exit_code == 6, result.output
    # SoftHSM2 raises CKF_USER_PIN_COUNT_LOW after a wrong PIN, as a real token does
    assert result.stderr.splitlines() == [
        'Mã PIN của thiết bị ký "HIEU TRUONG": ',
        'Sai mã PIN của "HIEU TRUONG". Thiết bị báo chỉ còn ít lần thử trước khi bị khóa. Không thử lại tự động.',
    ]
    assert "000000" not in result.output.replace(": ", "")
    assert not report.with_name(report.stem + "-ky-so.pdf").exists()


def test_the_tries_left_come_from_the_token_flags() -> None:
    from pkcs11 import TokenFlag

    from toolkit.signing.keys import pin_message

    low = pin_message(int(TokenFlag.USER_PIN_COUNT_LOW), "VNPT").text("en")
    final = pin_message(int(TokenFlag.USER_PIN_COUNT_LOW | TokenFlag.USER_PIN_FINAL_TRY), "VNPT").text("en")
    locked = pin_message(int(TokenFlag.USER_PIN_LOCKED | TokenFlag.USER_PIN_FINAL_TRY), "VNPT").text("en")
    assert low == 'Wrong PIN for "VNPT". The token says few tries are left before it locks. Not retried automatically.'
    assert final.startswith('Wrong PIN for "VNPT". ONE try left')
    assert locked == 'Wrong PIN. The token "VNPT" is locked: ask the certificate provider to unlock it.'


def test_a_token_or_certificate_that_is_not_there_is_named(tokens, images, report) -> None:
    runner = CliRunner()
    base = ["sign", "--file", str(report), "--signature-image", str(images["signature"]), "--lang", "en"]
    module = tokens["signer"].module
    absent = runner.invoke(cli, [*base, "--signer-key", f"pkcs11:token=VIETTEL-CA;object=A?module-path={module}"])
    assert absent.exit_code == 6
    assert absent.stderr.strip() == 'No token "VIETTEL-CA" found. Tokens plugged in: CON DAU TRUONG, HIEU TRUONG.'
    wrong = runner.invoke(
        cli, [*base, "--signer-key", _token_key(tokens["signer"], "object=Nobody")], input=f"{SIGNER_PIN}\n"
    )
    assert wrong.exit_code == 6
    assert wrong.stderr.splitlines()[-1] == (
        "0 certificates with a key on the token match Nobody (exactly one is needed). Certificates on the token: "
        "Le Thi Thu Ha, Test Issuing CA, Test Issuing CA, Tran Van Cu."
    )
    both = runner.invoke(cli, [*base, "--signer-key", f"pkcs11:object=Le%20Thi%20Thu%20Ha?module-path={module}"])
    assert both.exit_code == 6 and both.stderr.strip() == (
        "2 tokens are plugged in (CON DAU TRUONG, HIEU TRUONG): choose one with token=… in the key address."
    )  # asked before any PIN is typed
    expired = runner.invoke(
        cli, [*base, "--signer-key", _token_key(tokens["signer"], "object=Tran%20Van%20Cu")], input=f"{SIGNER_PIN}\n"
    )
    assert expired.exit_code == 6 and expired.stderr.strip().endswith("expired on 01/01/2021.")


def test_a_p12_signs_and_expired_revoked_or_wrong_password_refuse(ca, p12, images, report, monkeypatch) -> None:
    request = SignRequest(
        signer=parse_key(str(p12["signer"])),
        signature_image=images["signature"],
        organisation=parse_key(str(p12["org"]), password_env="TOOLKIT_ORG_P12_PASSWORD"),
        seal_image=images["seal"],
        roots=ca.roots(),
    )
    [signed] = sign_documents([report], request)
    assert signed.levels == ["B-B", "B-B"] and signed.path.name.endswith("-ky-so.pdf")
    assert all(s.intact and s.valid and s.trusted for s in _validate(signed.path, ca))
    runner = CliRunner()
    base = ["sign", "--file", str(report), "--signature-image", str(images["signature"]), "--lang", "en"]
    for label, said in (("expired", "expired on 01/01/2021."), ("revoked", "has been revoked: not signed.")):
        key = ca.p12(label, P12_PASSWORD.encode())
        refused = runner.invoke(cli, [*base, "--signer-key", str(key), "--roots", str(ca.roots())])
        assert refused.exit_code == 6 and refused.stderr.strip().endswith(said), refused.output
    silent = runner.invoke(cli, [*base, "--signer-key", str(p12["signer"]), "--tsa", "http://127.0.0.1:9/tsa"])
    assert silent.exit_code == 6 and silent.stderr.strip().endswith(
        "The time-stamp server http://127.0.0.1:9/tsa did not answer."
    )
    monkeypatch.setenv("TOOLKIT_P12_PASSWORD", "wrong-password-xyz")
    wrong = runner.invoke(cli, [*base, "--signer-key", str(p12["signer"]), "-v"])
    assert wrong.exit_code == 6
    assert wrong.stderr.strip() == (
        f"Could not open {p12['signer']}: wrong password or damaged file. The password comes from the OS keyring "
        "(entry p12:<path of the file>) or the variable TOOLKIT_P12_PASSWORD."
    )
    assert "wrong-password-xyz" not in wrong.output and P12_PASSWORD not in wrong.output


def test_b_t_without_revocation_data_then_the_school_signs_an_already_signed_pdf(ca, p12, images, report) -> None:
    bare = ca.p12("signer", P12_PASSWORD.encode(), with_chain=False)  # no chain: no OCSP/CRL is sought
    notes: list[str] = []
    first = sign_documents(
        [report],
        SignRequest(signer=parse_key(str(bare)), signature_image=images["signature"], tsa=ca.tsa_url),
        notify=lambda m: notes.append(m.text("en")),
    )[0]
    assert first.levels == ["B-T"] and len(notes) == 1 and "not B-LT" in notes[0]
    once = first.path.read_bytes()
    second = sign_documents(
        [first.path],
        SignRequest(
            organisation=parse_key(str(p12["org"]), password_env="TOOLKIT_ORG_P12_PASSWORD"),
            seal_image=images["seal"],
            tsa=ca.tsa_url,
            roots=ca.roots(),
        ),
    )[0]
    assert second.path == first.path and second.levels == ["B-LT"]
    assert second.kept is not None and second.kept.read_bytes() == once  # the first signed copy is in history
    first_status, school = _validate(second.path, ca)
    assert first_status.intact and first_status.valid and first_status.docmdp_ok  # still valid after the second
    assert first_status.trusted  # the issuing CA fetched from the certificate's caIssuers address
    assert school.intact and school.valid and school.trusted


def test_the_seal_goes_over_a_signature_another_tool_placed(ca, p12, images, report, tmp_path) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    block = find_block(report.read_bytes())
    box = (int(block.block.x0) + 150, int(block.space.y0) + 5, int(block.block.x0) + 250, int(block.space.y1) - 5)
    writer = IncrementalPdfFileWriter(io.BytesIO(report.read_bytes()))
    append_signature_field(writer, SigFieldSpec("VendorTool", on_page=block.page, box=box))
    vendor = signers.SimpleSigner.load_pkcs12(str(p12["signer"]), passphrase=P12_PASSWORD.encode())
    signed_elsewhere = tmp_path / "da-ky.pdf"
    signed_elsewhere.write_bytes(
        signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="VendorTool"), signer=vendor).getvalue()
    )
    request = SignRequest(
        organisation=parse_key(str(p12["org"]), password_env="TOOLKIT_ORG_P12_PASSWORD"),
        seal_image=images["seal"],
    )
    [sealed] = sign_documents([signed_elsewhere], request)
    fields = {f.field_name: f for f in PdfFileReader(io.BytesIO(sealed.path.read_bytes())).embedded_signatures}
    seal = [float(v) for v in fields["ChuKyCoQuan"].sig_field["/Rect"]]  # field and widget merged
    assert abs(seal[2] - (box[0] + (box[2] - box[0]) / 3)) <= 1.5  # over the left third of the earlier mark
    assert all(s.intact and s.valid for s in _validate(sealed.path, ca))


def test_verify_finds_a_certificate_revoked_before_signing(ca, images, report, monkeypatch) -> None:
    """A .p12 without its chain signs unchecked (nothing to check revocation against); verify, given the roots,
    fetches the issuing CA and the OCSP answer and says the certificate is revoked."""
    monkeypatch.setenv("TOOLKIT_P12_PASSWORD", P12_PASSWORD)
    bare = ca.p12("revoked", P12_PASSWORD.encode(), with_chain=False)
    request = SignRequest(signer=parse_key(str(bare)), signature_image=images["signature"])
    [signed] = sign_documents([report], request)
    result = CliRunner().invoke(cli, ["verify", str(signed.path), "--roots", str(ca.roots()), "--lang", "en"])
    assert result.exit_code == 7, result.output
    assert result.stdout.splitlines()[-1] == "   NOT trusted: the signer's certificate has been revoked."


def test_verify_says_when_the_document_was_changed_after_signing(ca, p12, images, report, tmp_path) -> None:
    from pyhanko.pdf_utils.generic import StreamObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    request = SignRequest(signer=parse_key(str(p12["signer"])), signature_image=images["signature"])
    signed = sign_documents([report], request)[0].path
    writer = IncrementalPdfFileWriter(io.BytesIO(signed.read_bytes()))
    stroke = writer.add_object(StreamObject(stream_data=b"q 1 0 0 RG 50 50 400 400 re S Q"))
    writer.add_stream_to_page(0, stroke)  # a red frame drawn over page 1 after signing
    changed = tmp_path / "changed.pdf"
    out = io.BytesIO()
    writer.write(out)
    changed.write_bytes(out.getvalue())
    roots = str(ca.roots())
    result = CliRunner().invoke(cli, ["verify", str(changed), "--roots", roots, "--lang", "en"])
    assert result.exit_code == 1
    assert "   Intact when signed, but the document WAS CHANGED after signing." in result.stdout.splitlines()
    data = bytearray(signed.read_bytes())
    data[data.index(b"stream") + 20] ^= 0xFF  # one byte inside the first page's compressed content
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(bytes(data))
    flipped = CliRunner().invoke(cli, ["verify", str(broken), "--roots", roots, "--lang", "en"])
    assert flipped.exit_code == 1
    assert "   BROKEN: the signed content was altered or the signature is not valid." in flipped.stdout.splitlines()
    untrusted = CliRunner().invoke(cli, ["verify", str(signed), "--lang", "en", "--format", "json"])
    assert untrusted.exit_code == 7 and '"trusted": false' in untrusted.stdout
    unsigned = CliRunner().invoke(cli, ["verify", str(report), "--lang", "en"])
    assert unsigned.exit_code == 1 and unsigned.stdout.strip() == f"{report}: no digital signature."


def test_sign_by_source_and_send_attaches_the_signed_copy(ca, p12, images, example, tmp_path) -> None:
    out = tmp_path / "out"
    shutil.copytree(example["out"], out)
    args = ["sign", str(example["source"]), "-o", str(out), "--both"]
    keys = ["--signer-key", str(p12["signer"]), "--signature-image", str(images["signature"])]
    keys += ["--org-key", str(p12["org"]), "--seal-image", str(images["seal"])]
    result = CliRunner().invoke(cli, [*args, *keys])
    assert result.exit_code == 0, result.output
    year = out / "2023"
    assert sorted(p.name for p in year.glob("*-ky-so.pdf")) == [
        "BC-THBA-thang-hanh-dong-vi-binh-dang-gioi-3bc290-ky-so.pdf",
        "KH-THBA-thang-hanh-dong-vi-binh-dang-gioi-3bc290-ky-so.pdf",
    ]
    sent = CliRunner().invoke(cli, ["send", str(example["source"]), "-o", str(out), "--dry-run"])
    assert sent.exit_code == 0, sent.output
    [eml] = (year / "outbox").glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    names = [a.get_filename() for a in message.iter_attachments()]
    assert names == [
        "BC-THBA-thang-hanh-dong-vi-binh-dang-gioi-3bc290.docx",
        "BC-THBA-thang-hanh-dong-vi-binh-dang-gioi-3bc290-ky-so.pdf",
    ]
    attached = next(a for a in message.iter_attachments() if a.get_filename().endswith("-ky-so.pdf"))
    assert attached.get_content() == (year / names[1]).read_bytes()
    again = CliRunner().invoke(cli, [*args, *keys, "--plan", "--format", "json"])
    assert again.exit_code == 0, again.output
    [plan] = json.loads(again.stdout)["signed"]
    assert plan["levels"] == ["B-B", "B-B"] and plan["path"].endswith(
        "KH-THBA-thang-hanh-dong-vi-binh-dang-gioi-3bc290-ky-so.pdf"
    )
    assert Path(plan["kept"]).parent == year / "history"  # the first signed copy differs (its time): kept
    signed_report = year / names[1]
    docx = year / names[0]
    os.utime(signed_report, (docx.stat().st_mtime - 60, docx.stat().st_mtime - 60))  # signed before a change
    stale = CliRunner().invoke(cli, ["send", str(example["source"]), "-o", str(out), "--dry-run", "--resend"])
    assert stale.exit_code == 0, stale.output
    assert f"Bản ký số {signed_report} cũ hơn văn bản nên không gửi: hãy ký lại." in stale.stderr
    newest = max((year / "outbox").glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    message = email.message_from_bytes(newest.read_bytes(), policy=email.policy.default)
    assert [a.get_filename() for a in message.iter_attachments()] == [names[0], names[0].replace(".docx", ".pdf")]
    missing = CliRunner().invoke(cli, ["sign", str(example["source"]), "-o", str(tmp_path / "none"), *keys])
    assert missing.exit_code == 6 and "tạo PDF trước (toolkit plan/report --pdf) rồi ký." in missing.stderr


def _red_pixels(png: Path) -> list[tuple[int, int]]:
    with Image.open(png) as image:
        rgb = image.convert("RGB")
        width, height = rgb.size
        data = rgb.load()
        return [
            (x, y)
            for y in range(height)
            for x in range(width)
            if data[x, y][0] > 170 and data[x, y][1] < 90 and data[x, y][2] < 90
        ]


@pytest.mark.parametrize("preset", sorted(p.stem for p in Path("toolkit/data/campaigns").glob("*.json")))
def test_the_seal_sits_in_the_signature_block_of_every_preset(preset, p12, images, tmp_path) -> None:
    from toolkit.authoring.templates import save_workbook
    from toolkit.workbook import campaigns

    found = campaigns.find(preset)
    assert found is not None
    source = save_workbook(tmp_path / f"{preset}.xlsx", found, filled=True)  # each example in its own year
    result = sync_and_report(str(source), Options(output=tmp_path / "out", force=True))
    export_pdf(result)
    request = SignRequest(
        signer=parse_key(str(p12["signer"])),
        signature_image=images["signature"],
        organisation=parse_key(str(p12["org"]), password_env="TOOLKIT_ORG_P12_PASSWORD"),
        seal_image=images["seal"],
    )
    for written in (f for f in result.files if f.is_pdf):
        [signed] = sign_documents([written.path], request)
        _assert_marks_in_block(written.path, signed.path, tmp_path / written.kind)


def _assert_marks_in_block(unsigned: Path, signed: Path, prefix: Path) -> None:
    """Render the signed PDF's block page with pdftoppm (72 dpi: a pixel is a point): the seal's red is there,
    and every red pixel of the page lies inside the signature block found in the unsigned PDF."""
    block = find_block(unsigned.read_bytes())
    page = block.page + 1
    subprocess.run(
        ["pdftoppm", "-r", "72", "-f", str(page), "-l", str(page), "-singlefile", "-png", str(signed), str(prefix)],
        check=True,
        timeout=120,
    )
    red = _red_pixels(prefix.with_suffix(".png"))
    top = block.page_size[1]
    box = block.block
    inside = [(x, y) for x, y in red if box.x0 - 1 <= x <= box.x1 + 1 and top - box.y1 - 1 <= y <= top - box.y0 + 1]
    assert len(red) > 200, f"{signed.name}: no seal on page {page}"
    assert len(inside) == len(red), f"{signed.name}: {len(red) - len(inside)} red pixels outside the block"


def test_the_rollup_is_signed_in_its_block_before_the_appendices(p12, images, tmp_path) -> None:
    runner = CliRunner()
    listing = tmp_path / "danh-sach.xlsx"
    assert runner.invoke(cli, ["init", "--rollup", "--example", str(listing)]).exit_code == 0
    rolled = runner.invoke(cli, ["rollup", str(listing), "--pdf", "-o", str(tmp_path / "out")])
    assert rolled.exit_code in (0, 1), rolled.output
    [pdf] = (tmp_path / "out").glob("*/BCTH-*.pdf")
    block = find_block(pdf.read_bytes())
    assert block.titles == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH") and block.page == 1  # the appendices follow it
    keys = ["--signer-key", str(p12["signer"]), "--signature-image", str(images["signature"])]
    keys += ["--org-key", str(p12["org"]), "--seal-image", str(images["seal"])]
    signed = runner.invoke(cli, ["sign", "--file", str(pdf), *keys, "--org-name", "UBND xã Bình An"])
    assert signed.exit_code == 0, signed.output
    _assert_marks_in_block(pdf, pdf.with_name(pdf.stem + "-ky-so.pdf"), tmp_path / "bcth")


def test_the_pin_may_come_from_the_os_keyring_and_is_then_not_asked(tokens, images, report) -> None:
    import keyring
    from keyring.backend import KeyringBackend

    asked: list[str] = []

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service, username):
            asked.append(username)
            return SIGNER_PIN if (service, username) == ("school-campaign-toolkit", "pin:HIEU TRUONG") else None

        def set_password(self, service, username, password):
            raise NotImplementedError

        def delete_password(self, service, username):
            raise NotImplementedError

    previous = keyring.get_keyring()
    keyring.set_keyring(Memory())
    try:
        request = SignRequest(
            signer=parse_key(_token_key(tokens["signer"], "object=Le%20Thi%20Thu%20Ha")),
            signature_image=images["signature"],
        )
        [signed] = sign_documents([report], request, ask=None)
    finally:
        keyring.set_keyring(previous)
    assert asked == ["pin:HIEU TRUONG"] and signed.levels == ["B-B"]


def test_module_discovery_knows_each_vietnamese_ca_on_windows_and_linux() -> None:
    from toolkit.signing.keys import discover_module, module_candidates

    environ = {"SystemRoot": "D:\\Win", "ProgramFiles": "D:\\Apps"}
    windows = module_candidates("win32", environ)
    vendors = {vendor for vendor, _ in windows}
    for name in ("Ban Cơ yếu Chính phủ (VGCA)", "Viettel-CA", "VNPT-CA", "BkavCA", "FPT-CA"):
        assert name in vendors
    assert ("Viettel-CA", "D:\\Win\\System32\\viettel-ca_v6.dll") in windows
    assert all("%" not in path for _, path in windows)
    installed = {"D:\\Win\\System32\\vnpt-ca_csp11.dll", "D:\\Win\\System32\\BkavCA.dll"}
    assert discover_module("win32", environ, installed.__contains__) == (
        "VNPT-CA",
        "D:\\Win\\System32\\vnpt-ca_csp11.dll",
    )
    linux = {"/usr/lib/libcastle.so.1.0.0"}
    assert discover_module("linux", {}, linux.__contains__) == (
        "Feitian ePass2003 (tokens of several Vietnamese CAs)",
        "/usr/lib/libcastle.so.1.0.0",
    )
    assert discover_module("linux", {}, lambda path: False) is None
    assert discover_module("win32", {"TOOLKIT_PKCS11_MODULE": "C:\\x.dll"}, lambda p: False) == (
        "TOOLKIT_PKCS11_MODULE",
        "C:\\x.dll",
    )


def test_key_addresses() -> None:
    from toolkit.core.errors import SigningError

    key = parse_key("pkcs11:token=VNPT%20CA;object=Nguyen%20Van%20A;slot-id=2;id=%01%ff?module-path=/usr/lib/x.so")
    assert (key.token, key.label, key.slot, key.key_id, key.module) == (
        "VNPT CA",
        "Nguyen Van A",
        2,
        b"\x01\xff",
        "/usr/lib/x.so",
    )
    assert parse_key("pkcs11:x-subject=Trường%20TH").subject == "Trường TH"
    assert parse_key("ky.PFX").p12 == Path("ky.PFX")
    with pytest.raises(SigningError) as error:
        parse_key("khoa.pem")
    assert error.value.en.startswith('Cannot tell what key "khoa.pem" is')


def test_a_pdf_without_signature_block_or_not_a_pdf_is_refused_even_through_a_link(p12, images, tmp_path) -> None:
    runner = CliRunner()
    blank = tmp_path / "trang-trang.pdf"
    Image.new("RGB", (595, 842), "white").save(blank)
    keys = ["--signer-key", str(p12["signer"]), "--signature-image", str(images["signature"]), "--lang", "en"]
    result = runner.invoke(cli, ["sign", "--file", str(blank), *keys])
    assert result.exit_code == 6 and result.stderr.strip() == (
        'No signature block (the "Nơi nhận:" line and the signer\'s title and name) was found in the PDF.'
    )
    link = tmp_path / "link.pdf"
    link.symlink_to(blank)
    linked = runner.invoke(cli, ["sign", "--file", str(link), *keys])  # followed: the file the user chose
    assert linked.exit_code == 6 and linked.stderr.strip() == result.stderr.strip()
    text = tmp_path / "not.pdf"
    text.write_text("hello")
    checked = runner.invoke(cli, ["verify", str(text), "--lang", "en"])
    assert checked.exit_code == 6 and checked.stderr.strip() == f"{text} is not a readable PDF."
    assert not list(tmp_path.glob("*-ky-so.pdf"))


def test_the_readme_names_every_module_path_the_discovery_tries() -> None:
    from toolkit.signing.keys import known_modules

    readme = Path(__file__).resolve().parent.parent.joinpath("README.md").read_text(encoding="utf-8")
    system = "%SystemRoot%\\System32\\"
    for module in known_modules():
        assert f"| {module['vendor']} |" in readme
        for path in [*(p.replace(system, "") for p in module["win32"]), *module["linux"]]:
            assert f"`{path}`" in readme, path


# -- an attachment sent as its own file (Phụ lục I: the organisation signs it, no image, number and time) ---------


def _scan(path: Path, size: tuple[int, int]) -> Path:
    """A scanned attachment (an appendix table drawn in blue and black, 150 dpi) saved as a one-page PDF."""
    page = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle([150, 300, size[0] - 150, 900], outline=(20, 40, 200), width=6)
    for y in range(360, 900, 60):
        draw.line([(150, y), (size[0] - 150, y)], fill=(0, 0, 0), width=2)
    page.save(path, resolution=150)
    return path


def _words(pdf: Path) -> list[tuple[str, float, float, float, float]]:
    """Page 1's words as poppler reads them: text, x0, y0 (from the top), x1, y1, in points."""
    import re

    out = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"], capture_output=True, text=True)
    found = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out.stdout)
    return [(text, float(a), float(b), float(c), float(d)) for a, b, c, d, text in found]


def _chars(pdf: Path, text: str) -> set[tuple[str, float]]:
    """The font name and size (points) of every character of the first line holding ``text`` on page 1."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

    page = next(iter(extract_pages(str(pdf), page_numbers=[0])))
    lines = [line for box in page if isinstance(box, LTTextContainer) for line in box if isinstance(line, LTTextLine)]
    line = next(line for line in lines if text in line.get_text())
    return {(c.fontname, round(c.size, 2)) for c in line if isinstance(c, LTChar)}


def _changed_pixels(
    before: Path, after: Path, folder: Path
) -> tuple[tuple[int, int], list[tuple[int, int, int, int, int]]]:
    """Page 1 of both rendered by pdftoppm at 72 dpi (a pixel is a point): the size, and every pixel that differs
    (x, y, r, g, b of the signed copy)."""
    pngs = []
    folder.mkdir(exist_ok=True)
    for name, pdf in (("before", before), ("after", after)):
        subprocess.run(["pdftoppm", "-r", "72", "-f", "1", "-l", "1", "-png", str(pdf), str(folder / name)], check=True)
        [png] = folder.glob(f"{name}*.png")
        pngs.append(Image.open(png).convert("RGB"))
    a, b = pngs
    assert a.size == b.size
    da, db = a.load(), b.load()
    return a.size, [(x, y, *db[x, y]) for y in range(a.size[1]) for x in range(a.size[0]) if da[x, y] != db[x, y]]


def test_an_attachment_is_signed_by_the_organisation_with_the_number_and_time_at_its_top_right(
    ca, p12, images, example, tmp_path
) -> None:
    out = tmp_path / "out"
    shutil.copytree(example["out"], out)
    year = out / "2023"
    portrait = _scan(year / "Phu-luc-1.pdf", (1240, 1754))
    landscape = _scan(year / "Phu-luc-2.pdf", (1754, 1240))
    before = {p: _sha(p) for p in (portrait, landscape)}
    keys = ["--signer-key", str(p12["signer"]), "--signature-image", str(images["signature"])]
    keys += ["--org-key", str(p12["org"]), "--seal-image", str(images["seal"]), "--roots", str(ca.roots())]
    args = ["sign", str(example["source"]), "-o", str(out), "--report", "--attachment", str(portrait)]
    result = CliRunner().invoke(cli, [*args, "--attachment", str(landscape), *keys, "--format", "json"])
    assert result.exit_code == 0, result.output
    signed = {Path(s["source"]).name: s for s in json.loads(result.stdout)["signed"]}
    assert set(signed) == {example["report"].name, portrait.name, landscape.name}
    assert signed[portrait.name]["path"] == str(year / "Phu-luc-1-ky-so.pdf")
    assert signed[portrait.name]["levels"] == ["B-B"]  # one signature: the organisation's
    assert {p: _sha(p) for p in (portrait, landscape)} == before  # the attachments themselves never change
    # the main document's number and symbol, as its own first page prints it
    main_words = [w[0] for w in _words(example["report"])]
    number = main_words[main_words.index("Số:") + 1]
    assert number == "25/BC-THBA"
    for source in (portrait, landscape):
        copy = Path(signed[source.name]["path"])
        [status] = _validate(copy, ca)
        assert status.intact and status.valid and status.trusted
        assert status.modification_level.name in ("NONE", "LTA_UPDATES")  # nothing but revocation data after it
        assert status.signing_cert.subject.native["common_name"] == "Trường Tiểu học Bình An"
        report = _pdfsig(copy)
        assert report.count("Signature #") == 1 and "Signature Validation: Signature is Valid." in report
        assert "Trường Tiểu học Bình An" in report
        from pyhanko.pdf_utils.reader import PdfFileReader

        [field] = PdfFileReader(io.BytesIO(copy.read_bytes()), strict=False).root["/AcroForm"]["/Fields"]
        widget = field.get_object()
        assert [float(v) for v in widget["/Rect"]] == [0, 0, 0, 0]  # invisible: no mark of the signature itself
        # the text: top right of page 1 (inside the top margin, ending at the 15 mm right margin), Times 10 pt
        width = 595.2 if source is portrait else 841.92
        words = {w[0]: w[1:] for w in _words(copy)}
        stamp = [w for w in words if w == number or w.endswith("+07:00")]
        assert len(stamp) == 2, words
        when = next(w for w in stamp if w.endswith("+07:00"))
        assert dt.datetime.fromisoformat(when).utcoffset() == dt.timedelta(hours=7)
        assert abs(dt.datetime.fromisoformat(when) - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(minutes=5)
        for word in stamp:
            x0, _, x1, y1 = words[word]
            assert abs(x1 - (width - 15 * 72 / 25.4)) < 0.5 and x0 > width / 2 and y1 < 20 * 72 / 25.4, words[word]
        assert words[number][3] <= words[when][1] + 0.5  # the number first, the time under it
        assert _chars(copy, number) == {("Times-Roman", 10.0)} == _chars(copy, when)
        fonts = subprocess.run(["pdffonts", str(copy)], capture_output=True, text=True).stdout
        assert "Times-Roman" in fonts
        # nothing else drawn: the rendered page differs from the unsigned one only in black text at the top right
        (page_w, _), changed = _changed_pixels(source, copy, tmp_path / source.stem)
        assert changed and all(x > page_w / 2 and y < 20 * 72 / 25.4 for x, y, *_ in changed)
        assert all(max(r, g, b) - min(r, g, b) < 30 for *_, r, g, b in changed)  # grey/black, no red seal
    verified = CliRunner().invoke(cli, ["verify", str(year / "Phu-luc-1-ky-so.pdf"), "--roots", str(ca.roots())])
    assert verified.exit_code == 0, verified.output
    assert "1. Trường Tiểu học Bình An — " in verified.stdout and "Nguyên vẹn: văn bản không bị sửa sau khi ký." in (
        verified.stdout
    )
    # send: the signed copy of an --attach'ed attachment goes instead of it while it is the newer
    sent = CliRunner().invoke(
        cli, ["send", str(example["source"]), "-o", str(out), "--dry-run", "--attach", str(portrait)]
    )
    assert sent.exit_code == 0, sent.output
    [eml] = (year / "outbox").glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    attached = {a.get_filename(): a.get_content() for a in message.iter_attachments()}
    assert "Phu-luc-1-ky-so.pdf" in attached and "Phu-luc-1.pdf" not in attached
    assert attached["Phu-luc-1-ky-so.pdf"] == (year / "Phu-luc-1-ky-so.pdf").read_bytes()
    later = (year / "Phu-luc-1-ky-so.pdf").stat().st_mtime + 60
    os.utime(portrait, (later, later))  # the attachment changed after it was signed: the signed copy is stale
    again = CliRunner().invoke(
        cli, ["send", str(example["source"]), "-o", str(out), "--dry-run", "--resend", "--attach", str(portrait)]
    )
    assert again.exit_code == 0, again.output
    newest = max((year / "outbox").glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    message = email.message_from_bytes(newest.read_bytes(), policy=email.policy.default)
    names = [a.get_filename() for a in message.iter_attachments()]
    assert "Phu-luc-1.pdf" in names and "Phu-luc-1-ky-so.pdf" not in names


def test_an_attachment_needs_the_organisation_key_and_the_main_documents_number(
    ca, p12, images, report, tmp_path, monkeypatch
) -> None:
    attachment = _scan(tmp_path / "PL.pdf", (1240, 1754))
    runner = CliRunner()
    signer = ["--signer-key", str(p12["signer"]), "--signature-image", str(images["signature"])]
    org = ["--org-key", str(p12["org"]), "--seal-image", str(images["seal"])]
    base = ["sign", "--file", str(report), "--attachment", str(attachment), "--lang", "en"]
    no_org = runner.invoke(cli, [*base, *signer, "--number", "12/KH-THBA"])
    assert no_org.exit_code == 6
    assert no_org.stderr.strip().endswith(
        f"An attachment is signed by the organisation: its key (--org-key) is needed to sign {attachment}."
    )
    assert not (tmp_path / (report.stem + "-ky-so.pdf")).exists()  # refused before anything was signed
    no_number = runner.invoke(cli, [*base, *signer, *org])
    assert no_number.exit_code == 6
    assert no_number.stderr.strip().endswith("Attachments: give the main document's number and symbol with --number.")
    blank = runner.invoke(cli, [*base, *org, "--number", "Số: ……/KH-THBA"])
    assert blank.exit_code == 6 and 'not "Số: ……/KH-THBA": fill in the document' in blank.stderr
    monkeypatch.setenv("TOOLKIT_ORG_P12_PASSWORD", "wrong-password-xyz")
    wrong = runner.invoke(
        cli, ["sign", "--attachment", str(attachment), "--number", "7/QĐ-PGDĐT", *org, "--lang", "en"]
    )
    assert wrong.exit_code == 6 and f"Could not open {p12['org']}: wrong password or damaged file." in wrong.stderr
    assert "wrong-password-xyz" not in wrong.output and not (tmp_path / "PL-ky-so.pdf").exists()
    # the attachment alone (its main document signed earlier): --number, no SOURCE; Đ kept in the symbol
    monkeypatch.setenv("TOOLKIT_ORG_P12_PASSWORD", ORG_P12_PASSWORD)
    alone = runner.invoke(cli, ["sign", "--attachment", str(attachment), "--number", "Số: 7/QĐ-PGDĐT", *org])
    assert alone.exit_code == 0, alone.output
    assert alone.stderr.strip() == f"Đã ký số: {tmp_path / 'PL-ky-so.pdf'} (B-B)"
    assert "7/QĐ-PGDĐT" in [w[0] for w in _words(tmp_path / "PL-ky-so.pdf")]
    assert not (tmp_path / (report.stem + "-ky-so.pdf")).exists()
    assert all(s.intact and s.valid and s.trusted for s in _validate(tmp_path / "PL-ky-so.pdf", ca))


def test_sign_attachments_is_the_library_call_and_keeps_an_earlier_copy(ca, p12, tmp_path) -> None:
    from toolkit.signing import sign_attachments

    attachment = _scan(tmp_path / "BangKe.pdf", (1240, 1754))
    org = parse_key(str(p12["org"]), password_env="TOOLKIT_ORG_P12_PASSWORD")
    [first] = sign_attachments([attachment], "Số: 31/KH-THCSHH", org, roots=ca.roots())
    assert first.path == tmp_path / "BangKe-ky-so.pdf" and first.kept is None
    assert "31/KH-THCSHH" in [w[0] for w in _words(first.path)]
    earlier = first.path.read_bytes()
    [second] = sign_attachments([attachment], "31/KH-THCSHH", org)
    assert second.kept is not None and second.kept.read_bytes() == earlier  # history kept
    with pytest.raises(Exception, match=r"needs|cần"):
        sign_attachments([attachment], "31/KH-THCSHH", None)
    # a scanner's page turned by /Rotate: the text goes to the top right of the page as it is shown, upright
    for turn in (90, 180, 270):
        turned = _rotated(attachment, tmp_path / f"Xoay{turn}.pdf", turn)
        [signed] = sign_attachments([turned], "31/KH-THCSHH", org)
        shown_width = 595.2 if turn == 180 else 841.92
        words = {w[0]: w[1:] for w in _words(signed.path)}
        x0, _, x1, y1 = words["31/KH-THCSHH"]
        assert abs(x1 - (shown_width - 15 * 72 / 25.4)) < 0.5 and x0 > shown_width / 2 and y1 < 20 * 72 / 25.4
        assert all(s.intact and s.valid and s.trusted for s in _validate(signed.path, ca))


def _rotated(pdf: Path, target: Path, turn: int) -> Path:
    """A copy of ``pdf`` whose first page a reader shows turned ``turn`` degrees clockwise."""
    from pyhanko.pdf_utils.generic import NumberObject, pdf_name
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf.read_bytes()), strict=False)
    page = writer.find_page_for_modification(0)[0].get_object()
    page[pdf_name("/Rotate")] = NumberObject(turn)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    target.write_bytes(out.getvalue())
    return target


def test_looking_for_a_signed_copy_does_not_load_the_signing_stack(tmp_path) -> None:
    code = (
        "import sys; from pathlib import Path; from toolkit import pipeline; from toolkit.core.config import Options\n"
        f"pdf = Path({str(tmp_path / 'KH.pdf')!r})\n"
        "pipeline._digitally_signed(pdf, pdf.with_suffix('.docx'), Options()); pipeline._signed_attachment(pdf)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('toolkit.signing', 'pyhanko', 'asn1crypto'))))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert loaded.stdout.strip() == "[]"


def _within(seconds: float, call):
    """What ``call()`` returns, failing the test if it has not returned after ``seconds`` (a hang)."""
    box: dict = {}
    thread = threading.Thread(target=lambda: box.setdefault("result", call()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "hung"
    return box["result"]


def test_links_the_user_names_are_followed_and_a_fifo_folder_or_loop_refused(ca, p12, images, report, tmp_path) -> None:
    links = tmp_path / "links"
    links.mkdir()
    chosen = {"pdf": report, "key": p12["signer"], "org": p12["org"], **images}
    for name, target in chosen.items():
        (links / (name + target.suffix)).symlink_to(target)
    pdf = links / "pdf.pdf"
    keys = ["--signer-key", str(links / "key.p12"), "--signature-image", str(links / "signature.png")]
    keys += ["--org-key", str(links / "org.p12"), "--seal-image", str(links / "seal.png"), "--lang", "en"]
    before = _sha(report)
    signed = CliRunner().invoke(cli, ["sign", "--file", str(pdf), *keys])
    assert signed.exit_code == 0, signed.output
    copy = links / "pdf-ky-so.pdf"
    assert copy.is_file() and not copy.is_symlink() and _sha(report) == before  # written beside the link, no-follow
    (tmp_path / "signed-link.pdf").symlink_to(copy)
    checked = CliRunner().invoke(cli, ["verify", str(tmp_path / "signed-link.pdf"), "--roots", str(ca.roots())])
    assert checked.exit_code == 0, checked.output
    fifo, folder, loop = tmp_path / "ong.pdf", tmp_path / "thu-muc.p12", tmp_path / "vong.pdf"
    os.mkfifo(fifo)
    folder.mkdir()
    loop.symlink_to(loop)
    what = {fifo: "a FIFO (named pipe)", folder: "a folder", loop: "a loop of links (a symlink pointing back)"}
    for args, path in (
        (["sign", "--file", str(fifo), *keys], fifo),
        (["sign", "--file", str(loop), *keys], loop),
        (["verify", str(fifo), "--lang", "en"], fifo),
        (["sign", "--file", str(pdf), *keys, "--org-key", str(folder)], folder),  # the last --org-key counts
        (["sign", "--file", str(pdf), *keys, "--signature-image", str(fifo)], fifo),
    ):
        result = _within(60, lambda args=args: CliRunner().invoke(cli, args))
        assert result.exit_code == 6, result.output
        assert result.stderr.strip() == f"{path} is {what[path]}, not a regular file: it cannot be read."


def test_sign_reads_and_checks_the_workbook_once_for_its_documents_and_attachments(
    p12, example, tmp_path, monkeypatch
) -> None:
    from toolkit import pipeline

    calls = []
    check = pipeline.check
    monkeypatch.setattr(pipeline, "check", lambda *a, **k: calls.append(a) or check(*a, **k))
    attachment = _scan(tmp_path / "PL.pdf", (1240, 1754))
    args = ["sign", str(example["source"]), "-o", str(tmp_path / "none"), "--report", "--lang", "en"]
    result = CliRunner().invoke(cli, [*args, "--attachment", str(attachment), "--org-key", str(p12["org"])])
    assert result.exit_code == 6 and "make the PDF first (toolkit plan/report --pdf), then sign." in result.stderr
    assert len(calls) == 1  # the number of the report and the report's PDF both come from that one check


def test_signing_again_says_the_earlier_signed_copy_was_kept(p12, tmp_path) -> None:
    attachment = _scan(tmp_path / "PL.pdf", (1240, 1754))
    args = ["sign", "--attachment", str(attachment), "--number", "7/QĐ-PGDĐT", "--org-key", str(p12["org"])]
    first = CliRunner().invoke(cli, [*args, "--lang", "en"])
    assert first.exit_code == 0 and "kept" not in first.stderr, first.output
    again = CliRunner().invoke(cli, [*args, "--lang", "en"])
    assert again.exit_code == 0, again.output
    [kept] = (tmp_path / "history").rglob("PL-ky-so*")
    assert again.stderr.splitlines()[1:] == [f"  The earlier signed copy was kept in history: {kept}"]
    assert "by hand" not in again.stderr


def test_certificates_naming_someone_else_than_the_workbook_are_warned_of(
    ca, p12, images, example, tmp_path, monkeypatch
) -> None:
    from toolkit.workbook.names import same_name

    out = tmp_path / "out"
    shutil.copytree(example["out"], out)
    marks = ["--signature-image", str(images["signature"]), "--seal-image", str(images["seal"]), "--lang", "en"]
    args = ["sign", str(example["source"]), "-o", str(out), "--report", *marks]
    same = CliRunner().invoke(cli, [*args, "--signer-key", str(p12["signer"]), "--org-key", str(p12["org"])])
    assert same.exit_code == 0 and "Warning" not in same.stderr, same.output  # TRƯỜNG TH BÌNH AN: Tiểu học
    other = ca.p12("other", P12_PASSWORD.encode())  # Hoàng Văn Khác, of Trường THCS Khác
    monkeypatch.setenv("TOOLKIT_ORG_P12_PASSWORD", P12_PASSWORD)
    wrong = CliRunner().invoke(cli, [*args, "--signer-key", str(other), "--org-key", str(other)])
    assert wrong.exit_code == 0, wrong.output  # a warning, not an error: names are written in many ways
    assert (
        'Warning: the signer\'s certificate names "Hoàng Văn Khác", but the workbook\'s Người ký is "Lê Thị Thu Hà".'
    ) in wrong.stderr
    assert (
        "Warning: the organisation's certificate names \"Hoàng Văn Khác / Trường THCS Khác\", but the workbook's "
        'Đơn vị is "TRƯỜNG TH BÌNH AN".'
    ) in wrong.stderr
    assert same_name("PHÒNG GD&ĐT QUẬN 1", "Phòng Giáo dục và Đào tạo Quận 1")
    assert not same_name("Trường THPT Nguyễn Du", "Trường Tiểu học Bình An")
    report = out / "2023" / example["report"].name
    files = CliRunner().invoke(cli, ["sign", "--file", str(report), "--signer-key", str(other), *marks])
    assert files.exit_code == 0 and "Warning" not in files.stderr, files.output  # --file: no workbook to compare
