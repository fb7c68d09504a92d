"""Schemathesis hooks for the Pinning Service API run (Tools/schemathesis).

The spec types a pin's `cid` as a free string, so most strings schemathesis generates as
"valid" are not CIDs, and a pinning service must refuse them (400; CairnCLITests covers that
refusal). This hook puts a real CID, one the node holds, in place of a generated `cid` that
is not one, so the positive cases exercise pinning rather than CID parsing.
"""
import os
import re

import schemathesis

CID = re.compile(r"^(Qm[1-9A-HJ-NP-Za-km-z]{44}|b[a-z2-7]{58,})$")
KNOWN = os.environ["CAIRN_ST_CID"]


@schemathesis.hook
def before_call(context, case, **kwargs):
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("cid"), str) and not CID.match(body["cid"]):
        body["cid"] = KNOWN


@schemathesis.hook
def filter_body(context, body):
    """Skip multipart upload bodies with fields other than `file`.

    Schemathesis builds such negative cases with values it cannot put in form-data and then
    drops them, so the request it sends is a valid one-file upload that it expects refused.
    The node does refuse real extra fields (RobustnessTests covers that).
    """
    operation = getattr(context, "operation", None)
    if operation is not None and operation.path == "/api/v1/add" and isinstance(body, dict):
        return set(body.keys()) <= {"file"}
    return True
