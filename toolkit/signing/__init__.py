"""Digital signatures on the documents' PDFs, as Decree 30/2020/NĐ-CP says for electronic documents
(``docs/documents.md``): ``sign_documents`` signs (a .p12 file or a PKCS#11 token, PAdES B-B/B-T/B-LT with
pyHanko, the signer's and the organisation's marks in the signature block), ``sign_attachments`` signs an
attachment sent as its own file (the organisation's invisible signature, the main document's number and the time
at its top right), ``verify_file`` checks."""

import logging
import warnings

from ..output.naming import signed_path
from .attachment import sign_attachments
from .keys import KeySpec, parse_key
from .sign import Signed, SignRequest, sign_documents
from .verify import Verification, verify_file

# pyHanko (imported when first used) imports cryptography's DSA classes, which warn: nothing a school can act on.
warnings.filterwarnings("ignore", message=".*DSA is deprecated.*")
# pyHanko logs each failed path search with its traceback; the verdict is reported in people's words instead.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

__all__ = [
    "KeySpec",
    "SignRequest",
    "Signed",
    "Verification",
    "parse_key",
    "sign_attachments",
    "sign_documents",
    "signed_path",
    "verify_file",
]
